package org.openess.gateway.modbus;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openess.gateway.plan.ReadRequest;
import org.openess.gateway.retry.Backoff;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Starts a read on the link's own context (as the poller does) and hands back its outcome; the
 * tests of the TCP connection and of the RTU bus drive both links this way.
 */
final class ContextReads {
    private ContextReads() {
    }

    static CompletableFuture<int[]> read(Context context, ModbusLink link, int unitId, ReadRequest request, long timeoutMillis) {
        CompletableFuture<int[]> f = new CompletableFuture<>();
        context.runOnContext(v -> link.read(unitId, request, timeoutMillis).onComplete(ar -> {
            if (ar.succeeded()) {
                f.complete(ar.result());
            } else {
                f.completeExceptionally(ar.cause());
            }
        }));
        return f;
    }

    /** Why a read failed; an {@link AssertionError} when it succeeded. */
    static Throwable failure(CompletableFuture<int[]> f) throws Exception {
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the read succeeded");
    }

    /** An RTU bus over TCP to a loopback {@code port}, opened on {@code context}; returns once it is connected. */
    static RtuBus openRtuBus(Vertx vertx, Context context, int port, Backoff backoff, int queueCapacity, int reopenAfterTimeouts)
            throws InterruptedException {
        RtuBus bus = new RtuBus(vertx, context, new TcpRtuPort(vertx.createNetClient(), "127.0.0.1", port), backoff, queueCapacity,
                reopenAfterTimeouts);
        context.runOnContext(v -> bus.open());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!bus.isConnected()) {
            assertTrue(System.nanoTime() < deadline, "the bus did not connect to 127.0.0.1:" + port);
            Thread.sleep(10);
        }
        return bus;
    }
}
