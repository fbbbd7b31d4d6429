package org.openess.gateway.storage.buffer;

import java.util.List;

import org.openess.gateway.profile.TableLayout;

/**
 * How many records the memory buffer may hold: {@code ess.storage.buffer-rows}, but never more
 * than {@value #HEAP_PERCENT} % of the heap can keep. The buffer fills exactly when the database
 * is away, so a limit the heap cannot hold would end the process with an OutOfMemoryError at the
 * worst moment and lose every record held; refusing cycles at a limit that fits loses only those,
 * each recorded in ess_gaps.
 */
public record BufferCapacity(long configuredRows, long rows, long bytesPerRecord, long maxHeapBytes) {
    public static final int HEAP_PERCENT = 40;

    /** The capacity for records of {@code layouts} in a heap of {@code maxHeapBytes}. */
    public static BufferCapacity of(long configuredRows, List<TableLayout> layouts, long maxHeapBytes) {
        long perRecord = bytesPerRecord(layouts);
        long fits = Math.max(1, maxHeapBytes / 100 * HEAP_PERCENT / perRecord);
        return new BufferCapacity(configuredRows, Math.min(configuredRows, fits), perRecord, maxHeapBytes);
    }

    /**
     * Heap of one buffered row of the widest table: the row object, its cells (8 bytes a column),
     * its null bitmap and its slot in the queue, each with an object header.
     */
    static long bytesPerRecord(List<TableLayout> layouts) {
        int width = layouts.stream().mapToInt(TableLayout::width).max().orElse(64);
        return 40 + (16 + 8L * width) + (16 + 8L * ((width + 63) / 64)) + 16;
    }

    public boolean capped() {
        return rows < configuredRows;
    }

    /** What a refused cycle's gap record says about the limit. */
    public String describe() {
        return capped()
                ? "ess.storage.buffer-rows=" + configuredRows + ", capped at " + rows + " by the heap (-Xmx" + (maxHeapBytes >> 20) + "m)"
                : "ess.storage.buffer-rows=" + rows;
    }
}
