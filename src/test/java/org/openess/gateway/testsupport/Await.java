package org.openess.gateway.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.awaitility.Awaitility;

/** Waiting for what a running gateway does in its own time. */
public final class Await {
    private Await() {
    }

    /** Waits until {@code condition} holds, checking every 100 ms; fails after {@code within}. */
    public static void until(Duration within, BooleanSupplier condition) {
        Awaitility.await().atMost(within).pollInterval(Duration.ofMillis(100)).until(condition::getAsBoolean);
    }
}
