package org.openess.gateway.storage.spool;

import java.nio.file.Path;

import org.openess.gateway.config.EssConfig;

/**
 * Turns the {@code ess.spool.*} keys into the spool's settings. sync-interval, replay-rows-per-second
 * and handoff-cycles are checked by EssConfig's constraints at start-up; only the two sizes are
 * checked here, because Bean Validation has no constraint for a MemorySize.
 */
public final class SpoolSettings {
    static final long MIN_MAX_BYTES = 1 << 20;
    static final long MIN_SEGMENT_BYTES = 64 << 10;

    private SpoolSettings() {
    }

    public static SpoolRowBuffer.Settings from(EssConfig.Spool sp, EssConfig.Storage st) {
        long max = sp.maxBytes().asLongValue();
        check(max >= MIN_MAX_BYTES, "ess.spool.max-bytes must be at least 1M, got " + max);
        long segment = sp.segmentBytes().asLongValue();
        check(segment >= MIN_SEGMENT_BYTES, "ess.spool.segment-bytes must be at least 64K, got " + segment);
        // at least eight segments, so drop-oldest frees an eighth, not everything
        segment = Math.max(MIN_SEGMENT_BYTES, Math.min(segment, max / 8));
        return new SpoolRowBuffer.Settings(Path.of(sp.dir().orElseThrow()), sp.sync(), sp.syncInterval().toMillis(), max, segment,
                sp.whenFull(), sp.replayRowsPerSecond(), sp.handoffCycles(), st.batchRows(), st.maxInFlight(),
                st.flushInterval().toMillis());
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
