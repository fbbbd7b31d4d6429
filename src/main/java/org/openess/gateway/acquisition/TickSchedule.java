package org.openess.gateway.acquisition;

/** Ticks at wall-clock multiples of the period: a 1 s device polls at hh:mm:ss.000. */
public final class TickSchedule {
    private final long periodMillis;

    public TickSchedule(long periodMillis) {
        if (periodMillis <= 0) {
            throw new IllegalArgumentException("period must be positive");
        }
        this.periodMillis = periodMillis;
    }

    public long periodMillis() {
        return periodMillis;
    }

    /** The first tick strictly after {@code nowMillis}. */
    public long nextTickAfter(long nowMillis) {
        return Math.floorDiv(nowMillis, periodMillis) * periodMillis + periodMillis;
    }

    /** The latest tick at or before {@code nowMillis}. */
    public long tickAtOrBefore(long nowMillis) {
        return Math.floorDiv(nowMillis, periodMillis) * periodMillis;
    }
}
