package org.openess.gateway.acquisition;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.openess.gateway.config.EssConfig;
import org.openess.gateway.lifecycle.Await;
import org.openess.gateway.retry.Backoff;

import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The acquisition stage as the service runs it: one {@link DevicePoller} per device, grouped into
 * one {@link EndpointPoller} (one connection, one event-loop context) per host and port, since units
 * behind one Modbus TCP gateway share its connection. Publishes every cycle to the sink it is
 * started with, and answers what the operator side asks of the devices ({@link #devices()}).
 */
@ApplicationScoped
public class Acquisition {
    @Inject
    Vertx vertx;
    @Inject
    EssConfig config;

    private final Map<String, DevicePoller> pollers = new ConcurrentHashMap<>();
    private final List<String> deployments = new ArrayList<>();

    /** Starts polling every device of {@code catalog}; returns the number of connections. */
    public synchronized int start(DeviceCatalog catalog, CycleSink sink) {
        EssConfig.Modbus m = config.modbus();
        Backoff reconnect = new Backoff(m.reconnectMin(), m.reconnectMax());
        Map<String, List<DevicePoller>> byEndpoint = new LinkedHashMap<>();
        for (DeviceDefinition device : catalog.devices()) {
            DevicePoller poller = new DevicePoller(device, sink, new DeviceStats(), m.busyRetryDelay(), m.logSummaryInterval());
            byEndpoint.computeIfAbsent(device.endpoint(), k -> new ArrayList<>()).add(poller);
            pollers.put(device.id(), poller);
        }
        for (List<DevicePoller> group : byEndpoint.values()) {
            DeviceDefinition first = group.get(0).device();
            EndpointPoller endpoint = new EndpointPoller(first.host(), first.port(), group, reconnect, m.reopenAfterTimeouts());
            deployments.add(Await.result(vertx.deployVerticle(endpoint), "start polling " + first.endpoint()));
        }
        return byEndpoint.size();
    }

    /** Stops every poller; a cycle already running still finishes and is published. */
    public synchronized void stop() {
        for (String id : deployments) {
            Await.result(vertx.undeploy(id), "stop a poller");
        }
        deployments.clear();
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
