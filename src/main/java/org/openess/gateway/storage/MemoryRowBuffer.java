package org.openess.gateway.storage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.decode.DecodedRow;
import org.openess.gateway.decode.GapEvent;
import org.openess.gateway.decode.QualityEvent;
import org.openess.gateway.profile.TableLayout;

/**
 * Bounded in-memory {@link RowBuffer}: one FIFO per table layout plus one each for quality and
 * gap records, taken in turn. When {@code capacity} records are held (written-but-unacknowledged
 * included), a new cycle is refused whole; the writer counts it as dropped and records it as a gap
 * in its counters. Rows already held are never evicted: the oldest data is the hardest to re-read.
 */
public final class MemoryRowBuffer implements RowBuffer {
    private final long capacity;
    private final Map<TableLayout, ArrayDeque<DecodedRow>> rows = new LinkedHashMap<>();
    private final ArrayDeque<QualityEvent> quality = new ArrayDeque<>();
    private final ArrayDeque<GapEvent> gaps = new ArrayDeque<>();
    private long size;
    private int turn;

    public MemoryRowBuffer(long capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("ess.storage.buffer-rows must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    @Override
    public synchronized boolean offer(CycleOutput output) {
        int n = output.rows().size() + output.quality().size() + output.gaps().size();
        if (size + n > capacity) {
            return false;
        }
        for (DecodedRow r : output.rows()) {
            rows.computeIfAbsent(r.layout(), k -> new ArrayDeque<>()).addLast(r);
        }
        quality.addAll(output.quality());
        gaps.addAll(output.gaps());
        size += n;
        return true;
    }

    @Override
    public synchronized Batch take(int maxRows) {
        // round robin over the row queues, then quality, then gaps, so no table starves another
        List<Object> queues = new ArrayList<>(rows.size() + 2);
        queues.addAll(rows.keySet());
        queues.add(quality);
        queues.add(gaps);
        for (int i = 0; i < queues.size(); i++) {
            Object q = queues.get((turn + i) % queues.size());
            Batch b = takeFrom(q, maxRows);
            if (b != null) {
                turn = (turn + i + 1) % queues.size();
                return b;
            }
        }
        return null;
    }

    private Batch takeFrom(Object queue, int maxRows) {
        if (queue instanceof TableLayout layout) {
            ArrayDeque<DecodedRow> q = rows.get(layout);
            if (q.isEmpty()) {
                return null;
            }
            return Batch.rows(layout, drain(q, maxRows));
        }
        if (queue == quality) {
            return quality.isEmpty() ? null : Batch.quality(drain(quality, maxRows));
        }
        return gaps.isEmpty() ? null : Batch.gaps(drain(gaps, maxRows));
    }

    private static <T> List<T> drain(ArrayDeque<T> q, int max) {
        int n = Math.min(max, q.size());
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(q.pollFirst());
        }
        return out;
    }

    @Override
    public synchronized void ack(Batch batch) {
        size -= batch.size();
    }

    @Override
    public synchronized void requeue(Batch batch) {
        if (batch.layout() != null) {
            ArrayDeque<DecodedRow> q = rows.computeIfAbsent(batch.layout(), k -> new ArrayDeque<>());
            prepend(q, batch.rows());
        }
        prepend(quality, batch.quality());
        prepend(gaps, batch.gaps());
    }

    private static <T> void prepend(ArrayDeque<T> q, List<T> items) {
        for (int i = items.size() - 1; i >= 0; i--) {
            q.addFirst(items.get(i));
        }
    }

    @Override
    public synchronized long size() {
        return size;
    }

    @Override
    public long capacity() {
        return capacity;
    }

    /** Records waiting to be taken (not counting batches being written). */
    public synchronized long waiting() {
        long n = quality.size() + gaps.size();
        for (Iterator<ArrayDeque<DecodedRow>> it = rows.values().iterator(); it.hasNext();) {
            n += it.next().size();
        }
        return n;
    }
}
