package org.openess.gateway.modbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openess.gateway.testsupport.UnitTest;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** The gateway's connect permits: at most N at once, the rest in arrival order, a bounded queue, releases counted once. */
@UnitTest
class ConnectPermitsTest {
    final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void atMostMaxAtOnceTheRestInArrivalOrderOnTheirOwnContext() throws Exception {
        ConnectPermits permits = new ConnectPermits(2, 10);
        Context context = vertx.getOrCreateContext();
        List<Future<ConnectPermits.Permit>> asked = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            asked.add(permits.acquire(context));
        }
        assertTrue(asked.get(0).succeeded() && asked.get(1).succeeded());
        assertFalse(asked.get(2).isComplete());
        assertEquals(2, permits.held());
        assertEquals(3, permits.waiting());

        List<Integer> order = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Boolean> onContext = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 2; i < 5; i++) {
            int n = i;
            asked.get(i).onSuccess(p -> {
                order.add(n);
                onContext.add(Vertx.currentContext() == context);
            });
        }
        asked.get(0).result().release();
        asked.get(0).result().release(); // a second release of the same permit counts for nothing
        waitFor(() -> order.size() == 1);
        assertEquals(List.of(2), order);
        assertEquals(2, permits.held());
        asked.get(1).result().release();
        asked.get(2).result().release();
        waitFor(() -> order.size() == 3);
        assertEquals(List.of(2, 3, 4), order);
        assertEquals(List.of(true, true, true), onContext);
        asked.get(3).result().release();
        asked.get(4).result().release();
        assertEquals(0, permits.held());
        assertEquals(2, permits.mostHeld());
    }

    @Test
    void aFullQueueRefusesAtOnce() {
        ConnectPermits permits = new ConnectPermits(1, 1);
        Context context = vertx.getOrCreateContext();
        assertTrue(permits.acquire(context).succeeded());
        assertFalse(permits.acquire(context).isComplete());
        Future<ConnectPermits.Permit> refused = permits.acquire(context);
        assertTrue(refused.failed());
        assertTrue(refused.cause().getMessage().startsWith("connect queue full"), refused.cause().getMessage());
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(5);
        }
    }
}
