package org.openess.gateway.acquisition;

/**
 * Backs off a unit on a shared RTU bus that stopped answering, so it does not cost the other units
 * its timeout every cycle: after {@value #SILENT_CYCLES_BEFORE_SKIPPING} silent cycles in a row
 * (every read timed out), the next tick is skipped, then 2, 4, 8 … ticks, at most
 * {@value #MAX_SKIP_MILLIS} ms' worth; a cycle in which the unit answers anything ends it. The
 * skipped ticks are gaps like any missed tick. Confined to the poller's context.
 */
final class SilenceBackoff {
    static final int SILENT_CYCLES_BEFORE_SKIPPING = 2;
    static final long MAX_SKIP_MILLIS = 30_000;

    private final long periodMillis;
    private final int maxSkip;
    private int silentCycles;
    /** No cycle runs for ticks before this (epoch ms). */
    private long resumeAt;

    SilenceBackoff(long periodMillis) {
        this.periodMillis = periodMillis;
        this.maxSkip = (int) Math.max(1, MAX_SKIP_MILLIS / periodMillis);
    }

    /** Records how the cycle of {@code tick} went: {@code silent} when the unit answered nothing and timed out. */
    void cycleFinished(long tick, boolean silent) {
        if (!silent) {
            silentCycles = 0;
            resumeAt = 0;
            return;
        }
        silentCycles++;
        if (silentCycles >= SILENT_CYCLES_BEFORE_SKIPPING) {
            int skip = (int) Math.min(maxSkip, 1L << Math.min(30, silentCycles - SILENT_CYCLES_BEFORE_SKIPPING));
            resumeAt = tick + (skip + 1) * periodMillis;
        }
    }

    /** Whether the cycle of {@code tick} is skipped. */
    boolean skips(long tick) {
        return tick < resumeAt;
    }

    /** The gap reason of a skipped tick; one text per unit, so the loss report groups them. */
    static String reason(int unitId) {
        return "tick skipped: unit " + unitId + " on an RTU bus stopped answering; backed off (retried at growing intervals)";
    }
}
