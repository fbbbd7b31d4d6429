package org.openess.gateway.sunspec;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.openess.gateway.retry.Backoff;
import org.openess.gateway.modbus.ModbusTcpConnection;
import org.openess.gateway.plan.ReadRequest;
import org.openess.gateway.profile.Area;
import org.openess.gateway.profile.FunctionCode;
import org.openess.gateway.simulator.SimulatedRegisters;
import org.openess.gateway.simulator.SimulatorServer;
import org.openess.gateway.testsupport.FreePorts;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;

/**
 * The gateway's real Modbus client connected over loopback to the simulator's real server serving
 * one device; work runs on the connection's event-loop context, as in the poller.
 */
final class ModbusClientHarness implements AutoCloseable {
    private static final Area ANY = new Area("any", FunctionCode.HOLDING_REGISTERS, 0, 65536);

    private final Vertx vertx;
    private final SimulatorServer server;
    private final NetClient client;
    private final Context context;
    final ModbusTcpConnection connection;

    ModbusClientHarness(Vertx vertx, SimulatedRegisters device) throws Exception {
        this.vertx = vertx;
        int port = FreePorts.one();
        server = new SimulatorServer(vertx, "test", List.of(device), "127.0.0.1", port);
        server.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        client = vertx.createNetClient();
        context = vertx.getOrCreateContext();
        connection = onContext(() -> {
            ModbusTcpConnection c = new ModbusTcpConnection(vertx, context, client, "127.0.0.1", port,
                    new Backoff(Duration.ofMillis(50), Duration.ofMillis(200)), Duration.ZERO, 3);
            c.open();
            return c;
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!onContext(connection::isConnected)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no connection to the simulator");
            }
            Thread.sleep(10);
        }
    }

    /** Holding registers over the connection (function 3), as discovery reads them. */
    RegisterReader reader() {
        return (start, count) -> connection.read(1, new ReadRequest(0, ANY, FunctionCode.HOLDING_REGISTERS, start, count), 2000);
    }

    /** Runs an asynchronous step on the connection's context and waits for its outcome. */
    <T> T await(Function<ModbusTcpConnection, Future<T>> step) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        context.runOnContext(v -> step.apply(connection).onComplete(ar -> {
            if (ar.succeeded()) {
                f.complete(ar.result());
            } else {
                f.completeExceptionally(ar.cause());
            }
        }));
        return f.get(30, TimeUnit.SECONDS);
    }

    <T> T onContext(java.util.concurrent.Callable<T> work) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                f.complete(work.call());
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        onContext(() -> {
            connection.close();
            return null;
        });
        client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        server.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
