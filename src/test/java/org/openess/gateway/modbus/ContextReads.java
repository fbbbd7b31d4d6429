package org.openess.gateway.modbus;

import java.util.concurrent.CompletableFuture;

import org.openess.gateway.plan.ReadRequest;

import io.vertx.core.Context;

/** Starts a read on the connection's own context (as the poller does) and hands back its outcome. */
final class ContextReads {
    private ContextReads() {
    }

    static CompletableFuture<int[]> read(Context context, ModbusTcpConnection connection, int unitId, ReadRequest request,
            long timeoutMillis) {
        CompletableFuture<int[]> f = new CompletableFuture<>();
        context.runOnContext(v -> connection.read(unitId, request, timeoutMillis).onComplete(ar -> {
            if (ar.succeeded()) {
                f.complete(ar.result());
            } else {
                f.completeExceptionally(ar.cause());
            }
        }));
        return f;
    }
}
