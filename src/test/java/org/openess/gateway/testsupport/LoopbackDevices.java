package org.openess.gateway.testsupport;

import org.openess.gateway.profile.ProfileLoader;
import org.openess.gateway.simulator.SimulatorServer;

import io.vertx.core.Vertx;

/** Simulated operation1 devices on consecutive free loopback ports, in this JVM, for tests that run the service as a process. */
public final class LoopbackDevices implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final int basePort;
    private final SimulatorServer server;

    private LoopbackDevices(int devices) throws Exception {
        basePort = FreePorts.consecutive(devices);
        server = new SimulatorServer(vertx, ProfileLoader.load("operation1"), devices, "127.0.0.1", basePort, 0);
        server.start().toCompletionStage().toCompletableFuture().get();
    }

    public static LoopbackDevices start(int devices) throws Exception {
        return new LoopbackDevices(devices);
    }

    /** The port of the first device; device {@code i} listens on {@code basePort() + i}. */
    public int basePort() {
        return basePort;
    }

    public SimulatorServer server() {
        return server;
    }

    @Override
    public void close() throws Exception {
        server.stop().toCompletionStage().toCompletableFuture().get();
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }
}
