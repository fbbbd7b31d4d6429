package org.openess.gateway.storage;

import org.openess.gateway.decode.CycleOutput;

/**
 * Rows between acquisition and the database. {@link #offer} never blocks; {@link #take} hands
 * out a batch that stays owned by the caller until {@link #ack} (written) or {@link #requeue}
 * (failed: back at the head, written first next time). The in-memory buffer is the first
 * implementation; a durable on-disk spool is the planned second, behind the same four calls.
 */
public interface RowBuffer {
    /** Adds a cycle's records; false when full (the caller counts the loss). */
    boolean offer(CycleOutput output);

    /** Up to {@code maxRows} records of one kind and table, or null when empty. */
    Batch take(int maxRows);

    void ack(Batch batch);

    void requeue(Batch batch);

    /** Records buffered and not yet acknowledged (including batches being written). */
    long size();

    long capacity();
}
