package org.openess.gateway.acquisition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.openess.gateway.config.EssConfig;
import org.jboss.logging.Logger;
import org.openess.gateway.lifecycle.Await;
import org.openess.gateway.logging.BudgetedLog;
import org.openess.gateway.logging.LineBudget;
import org.openess.gateway.modbus.ConnectPermits;
import org.openess.gateway.modbus.ModbusTcpConnection;
import org.openess.gateway.retry.Backoff;

import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The acquisition stage as the service runs it: one {@link DevicePoller} per device, grouped into
 * one {@link EndpointPoller} (one connection, one event-loop context) per host and port, since units
 * behind one Modbus TCP gateway share its connection. Publishes every cycle to the sink it is
 * started with, and answers what the operator side asks of the devices ({@link #devices()}).
 * Each device starts at its {@link StartSpread} offset (a site with no more devices than connect permits at once); every connect of every endpoint takes one
 * of {@code ess.modbus.max-concurrent-connects} permits. Log lines that come by the thousand
 * (connection problems here, state changes and alarms on the operator side) share one {@link LineBudget}.
 */
@ApplicationScoped
public class Acquisition {
    @Inject
    Vertx vertx;
    @Inject
    EssConfig config;

    private final Map<String, DevicePoller> pollers = new ConcurrentHashMap<>();
    private final List<String> deployments = new ArrayList<>();
    private LineBudget logBudget;
    private BudgetedLog connectionLog;
    private ConnectPermits permits;
    private long flushTimer = -1;
    private final List<EndpointPoller> endpoints = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Starts polling every device of {@code catalog}; returns the number of connections. */
    public synchronized int start(DeviceCatalog catalog, CycleSink sink) {
        EssConfig.Modbus m = config.modbus();
        Backoff reconnect = new Backoff(m.reconnectMin(), m.reconnectMax());
        Map<String, List<DevicePoller>> byEndpoint = new LinkedHashMap<>();
        long startMillis = System.currentTimeMillis();
        Duration spread = StartSpread.effective(m.startSpread(), catalog.devices().size(), m.maxConcurrentConnects());
        for (DeviceDefinition device : catalog.devices()) {
            DevicePoller poller = new DevicePoller(device, sink, new DeviceStats(), m.busyRetryDelay());
            poller.firstReadAt(startMillis + StartSpread.offsetMillis(device.id(), spread));
            byEndpoint.computeIfAbsent(device.endpoint(), k -> new ArrayList<>()).add(poller);
            pollers.put(device.id(), poller);
        }
        // each connection waits for at most one permit, so the queue never holds more than there are devices
        permits = new ConnectPermits(m.maxConcurrentConnects(), catalog.devices().size());
        BudgetedLog problems = connectionLog();
        flushTimer = vertx.setPeriodic(m.logInterval().toMillis(), id -> problems.flush());
        for (List<DevicePoller> group : byEndpoint.values()) {
            DeviceDefinition first = group.get(0).device();
            EndpointPoller endpoint = new EndpointPoller(first.host(), first.port(), group, reconnect, m.reopenAfterTimeouts())
                    .share(permits, problems);
            deployments.add(Await.result(vertx.deployVerticle(endpoint), "start polling " + first.endpoint()));
            endpoints.add(endpoint);
        }
        return byEndpoint.size();
    }

    /** Stops every poller; a cycle already running still finishes and is published. */
    public synchronized void stop() {
        for (String id : deployments) {
            Await.result(vertx.undeploy(id), "stop a poller");
        }
        deployments.clear();
        endpoints.clear();
        if (flushTimer >= 0) {
            vertx.cancelTimer(flushTimer);
            flushTimer = -1;
            connectionLog.flush();
        }
    }

    /**
     * The gateway's budget of log lines for what can come by the thousand ({@code ess.modbus.log-lines}
     * per {@code ess.modbus.log-interval}): connection problems, device state changes, alarm starts and ends.
     */
    public synchronized LineBudget logBudget() {
        if (logBudget == null) {
            logBudget = new LineBudget(config.modbus().logLines(), config.modbus().logInterval());
        }
        return logBudget;
    }

    private synchronized BudgetedLog connectionLog() {
        if (connectionLog == null) {
            connectionLog = new BudgetedLog(Logger.getLogger(ModbusTcpConnection.class), logBudget(), "connection problems",
                    "/api/devices");
        }
        return connectionLog;
    }

    /** The connect permits of the running gateway (null before the first start). */
    public ConnectPermits connectPermits() {
        return permits;
    }

    /** Every RTU bus (serial port or RTU over TCP) with its load and errors; empty when every device speaks Modbus TCP. */
    public List<BusStatus> buses() {
        List<BusStatus> out = new ArrayList<>();
        for (EndpointPoller e : endpoints) {
            BusStatus b = e.bus();
            if (b != null) {
                out.add(b);
            }
        }
        return out;
    }

    /** Every device, by id. */
    public List<DeviceStatus> devices() {
        List<DeviceStatus> out = new ArrayList<>(pollers.size());
        for (DevicePoller p : pollers.values()) {
            out.add(p.status());
        }
        out.sort(Comparator.comparing(DeviceStatus::id));
        return out;
    }

    /** Null for an unknown id. */
    public DeviceStatus device(String id) {
        DevicePoller p = pollers.get(id);
        return p == null ? null : p.status();
    }
}
