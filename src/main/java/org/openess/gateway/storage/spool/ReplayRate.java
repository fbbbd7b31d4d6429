package org.openess.gateway.storage.spool;

import java.util.function.LongSupplier;

/**
 * {@code ess.spool.replay-rows-per-second} as a token bucket holding at most one second of rows;
 * a group may overdraw it, and the next waits until it is paid back. 0 means unlimited.
 */
final class ReplayRate {
    private final int rowsPerSecond;
    private final LongSupplier nanoTime;
    private double tokens;
    private long tokensAt;

    ReplayRate(int rowsPerSecond, LongSupplier nanoTime) {
        this.rowsPerSecond = rowsPerSecond;
        this.nanoTime = nanoTime;
        this.tokensAt = nanoTime.getAsLong();
    }

    /** True when the next group may be read now. */
    boolean allows() {
        if (rowsPerSecond <= 0) {
            return true;
        }
        long now = nanoTime.getAsLong();
        tokens = Math.min(rowsPerSecond, tokens + (now - tokensAt) / 1e9 * rowsPerSecond);
        tokensAt = now;
        return tokens >= 0;
    }

    void spent(int rows) {
        tokens -= rows;
    }
}
