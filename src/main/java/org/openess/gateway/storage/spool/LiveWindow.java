package org.openess.gateway.storage.spool;

import java.util.ArrayDeque;

import org.openess.gateway.decode.CycleOutput;

/**
 * The newest cycles, on disk and still in memory, handed to the writer ahead of any backlog. The
 * window holds eight batches' worth of records; what falls out of it (the writer could not keep up)
 * becomes backlog, read back from disk. Spool thread only.
 */
final class LiveWindow {
    private final ArrayDeque<SpooledCycle> cycles = new ArrayDeque<>();
    private final int batchRows;
    private final long maxRecords;
    private final long flushIntervalMillis;
    private long records;
    private long lastHandOut;

    LiveWindow(int batchRows, long flushIntervalMillis) {
        this.batchRows = batchRows;
        this.maxRecords = Math.max(8L * batchRows, 1);
        this.flushIntervalMillis = flushIntervalMillis;
    }

    void add(long seq, CycleOutput cycle) {
        SpooledCycle c = new SpooledCycle(seq, cycle);
        cycles.addLast(c);
        records += c.records();
    }

    /** Moves the oldest cycles beyond the window's size to the backlog; the newest always stays. */
    void spillInto(BacklogRanges backlog) {
        while (records > maxRecords && cycles.size() > 1) {
            SpooledCycle c = cycles.pollFirst();
            records -= c.records();
            backlog.add(c.seq(), c.seq());
        }
    }

    /** Forgets the cycles up to record {@code lastSeq} (their segment was dropped). */
    void dropThrough(long lastSeq) {
        while (!cycles.isEmpty() && cycles.peekFirst().seq() <= lastSeq) {
            records -= cycles.pollFirst().records();
        }
    }

    /**
     * The oldest cycles as one group, once a batch is full or the flush interval has passed since
     * the last group; null when nothing is due.
     */
    GroupBuilder takeIfDue(long nowMillis) {
        if (cycles.isEmpty() || (records < batchRows && nowMillis - lastHandOut < flushIntervalMillis)) {
            return null;
        }
        GroupBuilder group = new GroupBuilder(batchRows);
        while (!cycles.isEmpty() && group.add(cycles.peekFirst().seq(), cycles.peekFirst().output())) {
            records -= cycles.pollFirst().records();
        }
        lastHandOut = nowMillis;
        return group;
    }

    /** Records ({@link CycleOutput#records()}) in the window. */
    long records() {
        return records;
    }
}
