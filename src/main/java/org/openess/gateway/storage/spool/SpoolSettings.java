package org.openess.gateway.storage.spool;

import java.nio.file.Path;

import org.openess.gateway.config.EssConfig;

/** Checks the {@code ess.spool.*} keys and turns them into the spool's settings. */
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
        check(sp.syncInterval().toMillis() >= 1, "ess.spool.sync-interval must be at least 1ms");
        check(sp.replayRowsPerSecond() >= 0, "ess.spool.replay-rows-per-second must be 0 (adaptive) or more");
        check(sp.handoffCycles() >= 1, "ess.spool.handoff-cycles must be at least 1");
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
