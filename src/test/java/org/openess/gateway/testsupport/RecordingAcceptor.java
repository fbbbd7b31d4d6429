package org.openess.gateway.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.openess.gateway.profile.Profile;
import org.openess.gateway.profile.ProfileLoader;
import org.openess.gateway.simulator.SimulatedDevice;
import org.openess.gateway.simulator.SimulatorServer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;

/**
 * Modbus TCP endpoints on consecutive loopback ports that record, server-side, when each
 * connection was accepted: endpoint i on base + i. The first {@code answering} endpoints answer
 * like the simulator (operation1 registers, {@link SimulatorServer#respond}) for any unit id; the
 * others accept and never answer (a device that hangs: the gateway's reads time out). One event
 * loop of its own, so the gateway's loops do not serve it.
 */
public final class RecordingAcceptor implements AutoCloseable {
    /** One accepted connection: endpoint index and when (wall clock and monotonic). */
    public record Accept(int endpoint, long atMillis, long atNanos) {
    }

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    private final List<NetServer> servers = new ArrayList<>();
    private final List<Accept> accepts = new CopyOnWriteArrayList<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final int basePort;
    private final int answering;
    private final int total;

    private RecordingAcceptor(int basePort, int answering, int total) {
        this.basePort = basePort;
        this.answering = answering;
        this.total = total;
    }

    /** {@code answering} endpoints that answer, then {@code silent} that never do, on free consecutive ports. */
    public static RecordingAcceptor start(int answering, int silent) {
        int total = answering + silent;
        RecordingAcceptor a = new RecordingAcceptor(FreePorts.consecutive(total), answering, total);
        Profile profile = ProfileLoader.load("operation1");
        List<Future<NetServer>> listening = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            int endpoint = i;
            SimulatedDevice device = i < answering ? new SimulatedDevice(profile, i, 0) : null;
            NetServer server = a.vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(a.basePort + i)
                    .setTcpNoDelay(true).setReuseAddress(true).setAcceptBacklog(1024));
            server.connectHandler(socket -> {
                a.accepts.add(new Accept(endpoint, System.currentTimeMillis(), System.nanoTime()));
                a.open.incrementAndGet();
                socket.closeHandler(v -> a.open.decrementAndGet());
                socket.exceptionHandler(e -> socket.close());
                if (device == null) {
                    socket.handler(data -> a.requests.incrementAndGet()); // read and never answer
                    return;
                }
                socket.handler(MbapRequests.parser((tid, unit, pdu) -> {
                    a.requests.incrementAndGet();
                    socket.write(SimulatorServer.respond(device, tid, unit, pdu, System.currentTimeMillis(), null));
                }));
            });
            a.servers.add(server);
            listening.add(server.listen());
        }
        try {
            Future.all(listening).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            a.close();
            throw new IllegalStateException("cannot listen on " + a.basePort + ".." + (a.basePort + total - 1), e);
        }
        return a;
    }

    public int basePort() {
        return basePort;
    }

    public int answering() {
        return answering;
    }

    public int endpoints() {
        return total;
    }

    public List<Accept> accepts() {
        return List.copyOf(accepts);
    }

    /** Connections accepted and not closed yet. */
    public int open() {
        return open.get();
    }

    public int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the test is over
        }
    }
}
