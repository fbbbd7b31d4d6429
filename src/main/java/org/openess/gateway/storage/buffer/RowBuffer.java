package org.openess.gateway.storage.buffer;

import org.openess.gateway.decode.CycleOutput;

/**
 * Rows between acquisition and the database. {@link #offer} never blocks; {@link #take} hands
 * out a batch that stays owned by the caller until {@link #ack} (written), {@link #requeue}
 * (failed: back at the head, written first next time) or {@link #reject} (refused by the database
 * for good: dropped and recorded as a gap). Two implementations: {@link MemoryRowBuffer} and the
 * durable {@code storage.spool.SpoolRowBuffer}.
 */
public interface RowBuffer {
    /**
     * Adds a cycle's records, or drops it when full. A dropped cycle is counted in
     * {@link #counters()} and recorded for {@code ess_gaps} by the buffer itself, and the writer
     * is woken by the buffer ({@link #onReady}), so the caller has nothing to do either way; the
     * return value says whether the cycle was kept (for tests and statistics).
     */
    boolean offer(CycleOutput output);

    /** Up to {@code maxRows} records of one kind and table, or null when empty. Never blocks. */
    Batch take(int maxRows);

    void ack(Batch batch);

    void requeue(Batch batch);

    /** The database refused the batch for good; its rows are recorded as gaps with {@code reason}. */
    void reject(Batch batch, String reason);

    /** Records buffered and not yet acknowledged (including batches being written). */
    long size();

    long capacity();

    BufferCounters counters();

    /** True when the batch comes from a replayed backlog rather than live data (latency statistics only). */
    default boolean replayed(Batch batch) {
        return false;
    }

    /**
     * The writer passes its wake-up and its batch size. The buffer itself calls {@code wakeUp}
     * (from any thread, holding no lock of its own) when batches are ready to take: the memory
     * buffer once it holds {@code batchRows} records or more, the spool whenever it hands a group of
     * cycles over (it batches by the same {@code ess.storage.batch-rows}). Anything less waits for
     * the writer's flush interval. The writer never has to ask which kind of buffer it has.
     */
    default void onReady(int batchRows, Runnable wakeUp) {
    }

    /** True when what is held survives a restart (a spool): shutdown need not wait for the database. */
    default boolean durable() {
        return false;
    }

    /**
     * Makes everything offered so far as safe as the buffer can within {@code timeoutMillis}
     * (a spool: written and forced to disk); later offers are not kept. No-op in memory.
     */
    default void close(long timeoutMillis) {
    }
}
