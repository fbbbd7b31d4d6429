package org.openess.gateway.logging;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * At most {@code lines} log lines per {@code interval}, then count: what a thousand failing
 * devices say in one second must not become a thousand lines, because writing them costs the
 * CPU that would end the failure. Windows are fixed: the first line after a window ends opens the
 * next. Thread-safe (one lock, held for a few instructions); whoever logs through it asks
 * {@link #tryLine()} first and counts what it was refused, to summarise it in one line later.
 */
public final class LineBudget {
    private final int lines;
    private final long intervalMillis;
    private final LongSupplier clock;
    private long windowStart = Long.MIN_VALUE;
    private int used;
    private long refused;
    private long refusedTotal;

    /** {@code clock} gives milliseconds (wall clock or a test's). */
    public LineBudget(int lines, Duration interval, LongSupplier clock) {
        if (lines < 0) {
            throw new IllegalArgumentException("lines must not be negative, got " + lines);
        }
        if (interval.toMillis() <= 0) {
            throw new IllegalArgumentException("interval must be positive, got " + interval);
        }
        this.lines = lines;
        this.intervalMillis = interval.toMillis();
        this.clock = clock;
    }

    public LineBudget(int lines, Duration interval) {
        this(lines, interval, System::currentTimeMillis);
    }

    /** True: write the line (it is counted against this window); false: do not, it was counted as refused. */
    public synchronized boolean tryLine() {
        roll(clock.getAsLong());
        if (used < lines) {
            used++;
            return true;
        }
        refused++;
        refusedTotal++;
        return false;
    }

    private void roll(long now) {
        if (windowStart == Long.MIN_VALUE || now - windowStart >= intervalMillis || now < windowStart) {
            windowStart = now;
            used = 0;
            refused = 0;
        }
    }

    /** Lines refused in the current window. */
    public synchronized long refusedInWindow() {
        roll(clock.getAsLong());
        return refused;
    }

    /** Lines refused since this budget was made. */
    public synchronized long refusedTotal() {
        return refusedTotal;
    }

    public int lines() {
        return lines;
    }

    public Duration interval() {
        return Duration.ofMillis(intervalMillis);
    }

    /** "10 s", "2 min": how the summaries name the interval. */
    public static String describe(Duration d) {
        long ms = d.toMillis();
        if (ms % 60_000 == 0 && ms >= 120_000) {
            return ms / 60_000 + " min";
        }
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }
}
