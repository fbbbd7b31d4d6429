package org.openess.gateway.storage.spool;

import java.time.Instant;
import java.util.function.LongSupplier;

/** Reads what {@code /api/status} shows of the spool off its parts. Spool thread only. */
final class SpoolStatus {
    private final SpoolRowBuffer.Settings settings;
    private final HandOff handoff;
    private final LiveWindow window;
    private final BacklogReplay replay;
    private final Acknowledgements acks;
    private final SpaceLimit space;
    private final MemoryFallback fallback;
    private final SyncSchedule sync;
    private final LongSupplier millis;

    /** One part of the spool per argument, each of its own type. */
    SpoolStatus(SpoolRowBuffer.Settings settings, HandOff handoff, LiveWindow window, BacklogReplay replay,
            Acknowledgements acks, SpaceLimit space, MemoryFallback fallback, SyncSchedule sync, LongSupplier millis) {
        this.settings = settings;
        this.handoff = handoff;
        this.window = window;
        this.replay = replay;
        this.acks = acks;
        this.space = space;
        this.fallback = fallback;
        this.sync = sync;
        this.millis = millis;
    }

    SpoolRowBuffer.Status read(SpoolStore store) {
        long oldest = store.oldestUnsentTick();
        return new SpoolRowBuffer.Status(settings.dir().toString(), settings.syncName(), settings.whenFullName(),
                store.totalBytes(), settings.maxBytes(), store.segmentCount(), store.pendingRecords(),
                oldest == 0 ? null : Instant.ofEpochMilli(oldest).toString(),
                oldest == 0 ? 0 : Math.max(0, (millis.getAsLong() - oldest) / 1000), replay.backlog().pending(),
                acks.replayedRecords(), window.records(), space.droppedCycles(), space.droppedRows(), store.corruptSegments,
                store.corruptRecords, store.truncatedBytes, fallback.active(), fallback.reason(), fallback.cycles(),
                handoff.size(), handoff.overflows(), sync.syncs(), fallback.buffered());
    }
}
