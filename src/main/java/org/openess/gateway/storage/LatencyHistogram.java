package org.openess.gateway.storage;

/**
 * Tick-to-commit latency in 1 ms buckets up to 60 s (anything slower lands in the last bucket).
 * Fixed size (480 KiB), no allocation per sample.
 */
public final class LatencyHistogram {
    private static final int BUCKETS = 60_001;
    private final long[] counts = new long[BUCKETS];
    private long total;
    private long max;

    public synchronized void record(long millis, long count) {
        int b = (int) Math.max(0, Math.min(BUCKETS - 1, millis));
        counts[b] += count;
        total += count;
        max = Math.max(max, millis);
    }

    public synchronized long count() {
        return total;
    }

    public synchronized long max() {
        return max;
    }

    /** The smallest latency (ms) at or below which {@code quantile} of the samples fall; -1 if empty. */
    public synchronized long percentile(double quantile) {
        if (total == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(quantile * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return i;
            }
        }
        return BUCKETS - 1;
    }

    public synchronized void reset() {
        java.util.Arrays.fill(counts, 0);
        total = 0;
        max = 0;
    }
}
