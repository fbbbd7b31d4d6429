package org.openess.gateway.storage.spool;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

import org.openess.gateway.storage.buffer.Batch;

/**
 * Batches ready for the writer, in the order it gets them: requeued ones first, then live data,
 * then backlog (only while a replay slot is free). Taking a live or backlog batch wakes the spool
 * thread to prepare the next group. Filled by the spool thread, emptied by the writer.
 */
final class ReadyBatches {
    private final ConcurrentLinkedDeque<Batch> retry = new ConcurrentLinkedDeque<>();
    private final ConcurrentLinkedDeque<Batch> live = new ConcurrentLinkedDeque<>();
    private final ConcurrentLinkedDeque<Batch> replay = new ConcurrentLinkedDeque<>();
    private final AtomicLong liveRows = new AtomicLong();
    private final AtomicLong replayRows = new AtomicLong();
    private final Runnable wakeSpoolThread;

    ReadyBatches(Runnable wakeSpoolThread) {
        this.wakeSpoolThread = wakeSpoolThread;
    }

    void add(List<Batch> batches, boolean replayed) {
        long n = 0;
        for (Batch b : batches) {
            n += b.size();
        }
        (replayed ? replayRows : liveRows).addAndGet(n);
        (replayed ? replay : live).addAll(batches);
    }

    /** A batch the writer could not write: it goes out again first. */
    void retry(Batch batch) {
        retry.addFirst(batch);
    }

    /** The next batch, or null; backlog only when {@code replayAllowed}. */
    Batch take(boolean replayAllowed) {
        Batch b = retry.pollFirst();
        if (b != null) {
            return b;
        }
        b = live.pollFirst();
        if (b != null) {
            liveRows.addAndGet(-b.size());
            wakeSpoolThread.run();
            return b;
        }
        if (replayAllowed) {
            b = replay.pollFirst();
            if (b != null) {
                replayRows.addAndGet(-b.size());
                wakeSpoolThread.run();
                return b;
            }
        }
        return null;
    }

    /** Rows in live batches not yet taken. */
    long liveRows() {
        return liveRows.get();
    }

    /** Rows in backlog batches not yet taken. */
    long replayRows() {
        return replayRows.get();
    }
}
