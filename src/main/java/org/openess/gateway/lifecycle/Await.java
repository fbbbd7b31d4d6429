package org.openess.gateway.lifecycle;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Future;

/**
 * Waits for a Vert.x future during start and stop, which run on the main or a shutdown thread,
 * never on an event loop. A failure names what could not be done and keeps its cause.
 */
public final class Await {
    private static final long TIMEOUT_SECONDS = 60;

    private Await() {
    }

    public static <T> T result(Future<T> future, String what) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to " + what, e);
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("cannot " + what + ": " + cause.getMessage(), cause);
        }
    }
}
