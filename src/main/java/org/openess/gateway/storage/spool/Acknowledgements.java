package org.openess.gateway.storage.spool;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.openess.gateway.storage.buffer.Batch;

/**
 * Which group each batch handed to the writer belongs to: a group's range of records is committed
 * only when every batch made from it is acknowledged. Also counts the replay batches being written,
 * so replay leaves one in-flight slot to live data. The writer side (any thread) records
 * acknowledgements; the spool thread tracks groups and commits the finished ones.
 */
final class Acknowledgements {
    private final Map<Batch, RecordGroup> owner = Collections.synchronizedMap(new IdentityHashMap<>());
    private final ConcurrentLinkedQueue<RecordGroup> completed = new ConcurrentLinkedQueue<>();
    private final AtomicInteger replayInFlight = new AtomicInteger();
    private final int replaySlots;
    private final Runnable wakeSpoolThread;
    // spool thread only
    private final TreeMap<Long, RecordGroup> outstanding = new TreeMap<>();
    private long replayedRecords;

    /** {@code replaySlots}: how many replay batches may be written at once. */
    Acknowledgements(int replaySlots, Runnable wakeSpoolThread) {
        this.replaySlots = replaySlots;
        this.wakeSpoolThread = wakeSpoolThread;
    }

    // ---- spool thread ----

    /** {@code batches}, all made from {@code group}, are about to be handed out. */
    void track(RecordGroup group, List<Batch> batches) {
        group.remaining.set(batches.size());
        outstanding.put(group.from, group);
        for (Batch b : batches) {
            owner.put(b, group);
        }
    }

    boolean hasCompleted() {
        return !completed.isEmpty();
    }

    /** Commits the ranges of the groups written in full; deletes segments left with nothing unsent. */
    void commitCompleted(SpoolStore store) {
        RecordGroup g;
        boolean any = false;
        while ((g = completed.poll()) != null) {
            store.commit(g.from, g.to);
            outstanding.remove(g.from);
            if (g.replay) {
                replayedRecords += g.to - g.from + 1;
            }
            any = true;
        }
        if (any) {
            store.deleteCommitted();
        }
    }

    /** True when record {@code seq} is in a group handed to the writer and not yet written. */
    boolean isOutstanding(long seq) {
        Map.Entry<Long, RecordGroup> e = outstanding.floorEntry(seq);
        return e != null && e.getValue().to >= seq;
    }

    /** Backlog records written since start. */
    long replayedRecords() {
        return replayedRecords;
    }

    // ---- writer side (any thread) ----

    /** True when the batch was made by the spool (not by the memory buffer). */
    boolean owns(Batch batch) {
        return owner.containsKey(batch);
    }

    boolean replayed(Batch batch) {
        RecordGroup g = owner.get(batch);
        return g != null && g.replay;
    }

    boolean replaySlotFree() {
        return replayInFlight.get() < replaySlots;
    }

    /** The writer took {@code batch}: a replay batch holds a replay slot until acknowledged or requeued. */
    void taken(Batch batch) {
        if (replayed(batch)) {
            replayInFlight.incrementAndGet();
        }
    }

    /** The batch is written; returns its group, or null when the spool did not make it. */
    RecordGroup ack(Batch batch) {
        RecordGroup g = owner.remove(batch);
        if (g == null) {
            return null;
        }
        releaseSlot(g);
        if (g.remaining.decrementAndGet() == 0) {
            completed.add(g);
            wakeSpoolThread.run();
        }
        return g;
    }

    /** The batch comes back unwritten (to be taken again); false when the spool did not make it. */
    boolean requeued(Batch batch) {
        RecordGroup g = owner.get(batch);
        if (g != null) {
            releaseSlot(g);
        }
        return g != null;
    }

    private void releaseSlot(RecordGroup g) {
        if (g.replay) {
            replayInFlight.decrementAndGet();
        }
    }
}
