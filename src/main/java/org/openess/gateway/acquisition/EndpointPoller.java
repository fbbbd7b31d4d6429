package org.openess.gateway.acquisition;

import java.time.Duration;
import java.util.List;

import org.openess.gateway.logging.BudgetedLog;
import org.openess.gateway.modbus.ConnectPermits;
import org.openess.gateway.modbus.ModbusLink;
import org.openess.gateway.modbus.ModbusTcpConnection;
import org.openess.gateway.modbus.RtuBus;
import org.openess.gateway.modbus.SerialRtuPort;
import org.openess.gateway.modbus.TcpRtuPort;
import org.openess.gateway.modbus.Transport;
import org.openess.gateway.retry.Backoff;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;

/**
 * One link on its own event-loop context, shared by the pollers of every unit id configured on it:
 * a Modbus TCP endpoint (host and port: a TCP→RTU gateway with several devices; most devices are
 * alone on theirs), or an RTU bus (a serial port, or the host and port of a serial-to-Ethernet
 * converter). A TCP connection waits the longest {@code connect-delay} of its devices after each
 * connect. It first connects at the earliest start offset of its devices
 * ({@link DevicePoller#firstReadAt}); a TCP connection through the gateway's connect permits. An
 * RTU bus is watched by a {@link BusMonitor}.
 */
public final class EndpointPoller extends AbstractVerticle {
    private final String host;
    private final int port;
    private final List<DevicePoller> pollers;
    private final Backoff reconnect;
    private final int reopenAfterTimeouts;
    private ConnectPermits permits = ConnectPermits.UNLIMITED;
    private BudgetedLog problems;
    private long openTimer = -1;

    private NetClient client;
    private ModbusLink connection;
    private BusMonitor monitor;
    private long monitorTimer = -1;

    public EndpointPoller(String host, int port, List<DevicePoller> pollers, Backoff reconnect, int reopenAfterTimeouts) {
        if (pollers.isEmpty()) {
            throw new IllegalArgumentException("an endpoint needs at least one device");
        }
        this.host = host;
        this.port = port;
        this.pollers = List.copyOf(pollers);
        this.reconnect = reconnect;
        this.reopenAfterTimeouts = reopenAfterTimeouts;
    }

    /** Connects through {@code permits} and logs connection problems through {@code problems}; call before deploying. */
    public EndpointPoller share(ConnectPermits permits, BudgetedLog problems) {
        this.permits = permits;
        this.problems = problems;
        return this;
    }

    @Override
    public void start(Promise<Void> started) {
        long longestTimeout = 0;
        Duration connectDelay = Duration.ZERO;
        for (DevicePoller p : pollers) {
            longestTimeout = Math.max(longestTimeout, p.device().timeout().toMillis());
            if (p.device().connectDelay().compareTo(connectDelay) > 0) {
                connectDelay = p.device().connectDelay();
            }
        }
        DeviceDefinition first = pollers.get(0).device();
        if (first.transport() != Transport.RTU) {
            // keepalive timing is set per socket by the connection (Vert.x's options need a native transport)
            client = vertx.createNetClient(new NetClientOptions()
                    .setConnectTimeout((int) Math.max(1000, longestTimeout * 4))
                    .setTcpNoDelay(true)
                    .setTcpKeepAlive(true));
        }
        // each poller has at most one read waiting, and a SunSpec discovery one more
        int queue = 2 * pollers.size();
        connection = switch (first.transport()) {
            case TCP -> {
                ModbusTcpConnection tcp = new ModbusTcpConnection(vertx, context, client, host, port, reconnect, connectDelay,
                        reopenAfterTimeouts);
                tcp.share(permits, problems);
                yield tcp;
            }
            case RTU_OVER_TCP -> new RtuBus(vertx, context, new TcpRtuPort(client, host, port), reconnect, queue, reopenAfterTimeouts);
            case RTU -> new RtuBus(vertx, context, new SerialRtuPort(context, first.serial()), reconnect, queue, reopenAfterTimeouts);
        };
        long openAt = Long.MAX_VALUE;
        for (DevicePoller p : pollers) {
            openAt = Math.min(openAt, p.firstReadAtMillis());
        }
        long delay = openAt - System.currentTimeMillis();
        if (delay > 0) {
            openTimer = vertx.setTimer(delay, id -> {
                openTimer = -1;
                connection.open();
            });
        } else {
            connection.open();
        }
        for (DevicePoller p : pollers) {
            p.start(vertx, connection);
        }
        if (connection instanceof RtuBus bus) {
            monitor = new BusMonitor(first, bus, pollers);
            monitorTimer = vertx.setPeriodic(monitor.periodMillis(), id -> monitor.sample());
        }
        started.complete();
    }

    @Override
    public void stop(Promise<Void> stopped) {
        pollers.forEach(DevicePoller::stop);
        if (openTimer >= 0) {
            vertx.cancelTimer(openTimer);
        }
        if (monitorTimer >= 0) {
            vertx.cancelTimer(monitorTimer);
        }
        connection.close();
        if (client == null) {
            stopped.complete();
        } else {
            client.close().onComplete(ar -> stopped.complete());
        }
    }

    public List<DevicePoller> pollers() {
        return pollers;
    }

    /** The shared link; touch it only on this verticle's context. */
    public ModbusLink connection() {
        return connection;
    }

    /** The RTU bus's latest status (any thread), or null for a Modbus TCP endpoint. */
    public BusStatus bus() {
        return monitor == null ? null : monitor.status();
    }
}
