package org.openess.gateway.storage.spool;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.storage.buffer.BufferCounters;

/**
 * Puts the cycles drained from the hand-off queue on disk: each one encoded, room made for it
 * ({@link SpaceLimit}), appended and kept in the live window, then forced when sync=always. While
 * the disk cannot be written they go to the memory buffer. Spool thread only.
 */
final class CycleAppender {
    private final RecordCodec codec;
    private final SpaceLimit space;
    private final MemoryFallback fallback;
    private final SyncSchedule sync;
    private final LiveWindow window;
    private final BacklogRanges backlog;
    private final BufferCounters counters;
    private final Consumer<IOException> diskFailed;

    /** {@code diskFailed}: called when the disk fails, so the spool stops using it until a probe succeeds. */
    CycleAppender(RecordCodec codec, SpaceLimit space, MemoryFallback fallback, SyncSchedule sync, LiveWindow window,
            BacklogRanges backlog, BufferCounters counters, Consumer<IOException> diskFailed) {
        this.codec = codec;
        this.space = space;
        this.fallback = fallback;
        this.sync = sync;
        this.window = window;
        this.backlog = backlog;
        this.counters = counters;
        this.diskFailed = diskFailed;
    }

    void append(SpoolStore store, List<CycleOutput> cycles) {
        List<CycleOutput> appended = new ArrayList<>(cycles.size());
        for (CycleOutput o : cycles) {
            if (fallback.active()) {
                fallback.offer(o);
                continue;
            }
            byte[] payload = codec.encode(o);
            int length = codec.length();
            if (!space.makeRoom(store, SpoolFormat.RECORD_HEADER_BYTES + length)) {
                space.refuse(o);
                continue;
            }
            try {
                window.add(store.append(payload, length, o.tickMillis()), o);
                appended.add(o);
            } catch (IOException e) {
                diskFailed.accept(e);
                fallback.offer(o);
            }
        }
        if (!appended.isEmpty()) {
            try {
                sync.appended(store);
            } catch (IOException e) {
                // written to the page cache but not proven durable: count them taken, and stop trusting the disk
                diskFailed.accept(e);
            }
        }
        for (CycleOutput o : appended) {
            counters.accepted(o.rows().size());
        }
        // the window is live data waiting for the writer; what falls out of it is backlog, read back from disk
        window.spillInto(backlog);
    }
}
