package org.openess.gateway.modbus;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * How many TCP connects the whole gateway has in flight at once: a restart of a site with
 * thousands of devices must not open every connection in the same millisecond. A connection asks
 * for a permit before it connects and gives it back once it is ready for requests (or the attempt
 * failed); the rest wait in arrival order. Never blocks: a waiter gets a future, completed on its
 * own Vert.x context. Thread-safe (the connections live on different event loops).
 *
 * <p>The wait queue is bounded by {@code maxWaiting}, the number of connections: each connection
 * waits for at most one permit at a time, so it cannot fill up. Should it be full all the same,
 * the request fails at once and the connection counts it as a failed attempt and retries after
 * its backoff, as after a refused connect.
 */
public final class ConnectPermits {
    /** No limit: a connection made on its own (tests, tools). */
    public static final ConnectPermits UNLIMITED = new ConnectPermits(Integer.MAX_VALUE, 1);

    private final int max;
    private final int maxWaiting;
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private int held;
    private int mostHeld;

    private record Waiter(Context context, Promise<Permit> promise) {
    }

    /** One permit; {@link #release()} may be called more than once, only the first counts. */
    public final class Permit {
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit() {
        }

        public void release() {
            if (released.compareAndSet(false, true)) {
                handOn();
            }
        }
    }

    public ConnectPermits(int max, int maxWaiting) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, got " + max);
        }
        this.max = max;
        this.maxWaiting = Math.max(1, maxWaiting);
    }

    /** A permit, at once if one is free, else when one is given back; completed on {@code context}. */
    public Future<Permit> acquire(Context context) {
        synchronized (this) {
            if (held < max) {
                held++;
                mostHeld = Math.max(mostHeld, held);
                return Future.succeededFuture(new Permit());
            }
            if (waiting.size() >= maxWaiting) {
                return Future.failedFuture(new IllegalStateException(
                        "connect queue full (" + maxWaiting + " connections waiting for one of " + max + " connect permits)"));
            }
            Waiter w = new Waiter(context, Promise.promise());
            waiting.addLast(w);
            return w.promise.future();
        }
    }

    /** A permit was given back: the oldest waiter takes it over, or it becomes free. */
    private void handOn() {
        Waiter next;
        synchronized (this) {
            next = waiting.pollFirst();
            if (next == null) {
                held--;
                return;
            }
        }
        Permit permit = new Permit();
        next.context.runOnContext(v -> next.promise.complete(permit));
    }

    public synchronized int held() {
        return held;
    }

    public synchronized int waiting() {
        return waiting.size();
    }

    /** The most permits held at once since start. */
    public synchronized int mostHeld() {
        return mostHeld;
    }

    public int max() {
        return max;
    }
}
