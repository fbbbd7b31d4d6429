package org.openess.gateway.storage.buffer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jboss.logging.Logger;
import org.openess.gateway.decode.Alarm;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.decode.DecodedRow;
import org.openess.gateway.decode.GapEvent;
import org.openess.gateway.decode.QualityEvent;
import org.openess.gateway.profile.TableLayout;

/**
 * Bounded in-memory {@link RowBuffer}: one FIFO per table layout plus one each for quality, gap
 * and alarm records, taken in turn. When {@code capacity} records are held (written-but-unacknowledged
 * included), a new cycle is refused whole: counted, and each of its tables recorded in the
 * {@link DropLedger} so that {@code ess_gaps} says which ticks are missing and why once the
 * database is back. Rows already held are never evicted: the oldest data is the hardest to
 * re-read. Also the spool's fallback when its disk cannot be written.
 */
public final class MemoryRowBuffer implements RowBuffer {
    private static final Logger LOG = Logger.getLogger(MemoryRowBuffer.class);
    private static final int LEDGER_RUNS = 100_000;

    private final long capacity;
    private final String fullReason;
    private final Map<TableLayout, ArrayDeque<DecodedRow>> rows = new LinkedHashMap<>();
    private final ArrayDeque<QualityEvent> quality = new ArrayDeque<>();
    private final ArrayDeque<GapEvent> gaps = new ArrayDeque<>();
    private final ArrayDeque<Alarm> alarms = new ArrayDeque<>();
    private final DropLedger ledger;
    private final BufferCounters counters = new BufferCounters();
    /** Gap batches made from the ledger: they hold no buffer space, and go back to the ledger on failure. */
    private final Set<Batch> ledgerBatches = Collections.newSetFromMap(new IdentityHashMap<>());
    private long size;
    private int turn;
    private volatile long lastDropLogMillis;
    private volatile int readyRows = Integer.MAX_VALUE;
    private volatile Runnable onReady = () -> {
    };

    public MemoryRowBuffer(long capacity) {
        this(capacity, new DropLedger(LEDGER_RUNS));
    }

    public MemoryRowBuffer(long capacity, DropLedger ledger) {
        this(capacity, "ess.storage.buffer-rows=" + capacity, ledger);
    }

    /** A buffer at {@code capacity}'s limit, which gap records name. */
    public MemoryRowBuffer(BufferCapacity capacity) {
        this(capacity.rows(), capacity.describe(), new DropLedger(LEDGER_RUNS));
    }

    private MemoryRowBuffer(long capacity, String limit, DropLedger ledger) {
        if (capacity < 1) {
            throw new IllegalArgumentException("ess.storage.buffer-rows must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.ledger = ledger;
        this.fullReason = "dropped: memory buffer full (" + limit + ")";
    }

    @Override
    public boolean offer(CycleOutput output) {
        int n = output.records();
        boolean accepted = false;
        boolean ready = false;
        synchronized (this) {
            if (size + n <= capacity) {
                for (DecodedRow r : output.rows()) {
                    rows.computeIfAbsent(r.layout(), k -> new ArrayDeque<>()).addLast(r);
                }
                quality.addAll(output.quality());
                gaps.addAll(output.gaps());
                alarms.addAll(output.alarms());
                size += n;
                counters.accepted(output.rows().size());
                accepted = true;
                ready = size >= readyRows;
            }
        }
        if (accepted) {
            if (ready) {
                // outside the lock: the wake-up may take a batch at once on another thread
                onReady.run();
            }
            return true;
        }
        ledger.addCycle(output, fullReason);
        long dropped = counters.dropped(output);
        long now = System.currentTimeMillis();
        if (now - lastDropLogMillis >= 10_000) {
            // once per 10 s at most: a full buffer at 1000 devices would otherwise log 11k lines a second
            lastDropLogMillis = now;
            LOG.errorf("write buffer full (%d records, ess.storage.buffer-rows): dropping new cycles, recorded in ess_gaps;"
                    + " %d row(s) dropped so far", capacity, dropped);
        }
        return false;
    }

    @Override
    public synchronized Batch take(int maxRows) {
        // round robin over the row queues, then quality, gaps and alarms, so no table starves another
        List<Object> queues = new ArrayList<>(rows.size() + 3);
        queues.addAll(rows.keySet());
        queues.add(quality);
        queues.add(gaps);
        queues.add(alarms);
        for (int i = 0; i < queues.size(); i++) {
            Object q = queues.get((turn + i) % queues.size());
            Batch b = takeFrom(q, maxRows);
            if (b != null) {
                turn = (turn + i + 1) % queues.size();
                return b;
            }
        }
        List<GapEvent> recorded = ledger.take(maxRows);
        if (recorded == null) {
            return null;
        }
        Batch b = new Batch.Gaps(recorded);
        ledgerBatches.add(b);
        return b;
    }

    private Batch takeFrom(Object queue, int maxRows) {
        if (queue instanceof TableLayout layout) {
            ArrayDeque<DecodedRow> q = rows.get(layout);
            return q.isEmpty() ? null : new Batch.Rows(layout, drain(q, maxRows));
        }
        if (queue == quality) {
            return quality.isEmpty() ? null : new Batch.Quality(drain(quality, maxRows));
        }
        if (queue == alarms) {
            return alarms.isEmpty() ? null : new Batch.Alarms(drain(alarms, maxRows));
        }
        return gaps.isEmpty() ? null : new Batch.Gaps(drain(gaps, maxRows));
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
        if (!ledgerBatches.remove(batch)) {
            size -= batch.size();
        }
    }

    @Override
    public synchronized void requeue(Batch batch) {
        if (ledgerBatches.remove(batch)) {
            ledger.putBack(((Batch.Gaps) batch).gaps());
            return;
        }
        if (batch instanceof Batch.Rows r) {
            prepend(rows.computeIfAbsent(r.layout(), k -> new ArrayDeque<>()), r.rows());
        } else if (batch instanceof Batch.Quality q) {
            prepend(quality, q.events());
        } else if (batch instanceof Batch.Gaps g) {
            prepend(gaps, g.gaps());
        } else if (batch instanceof Batch.Alarms a) {
            prepend(alarms, a.alarms());
        }
    }

    @Override
    public void reject(Batch batch, String reason) {
        ack(batch);
        if (batch instanceof Batch.Rows r) {
            ledger.addRows(r.rows(), reason);
        }
    }

    private static <T> void prepend(ArrayDeque<T> q, List<T> items) {
        for (int i = items.size() - 1; i >= 0; i--) {
            q.addFirst(items.get(i));
        }
    }

    @Override
    public void onReady(int batchRows, Runnable wakeUp) {
        this.readyRows = batchRows;
        this.onReady = wakeUp;
    }

    @Override
    public synchronized long size() {
        return size;
    }

    @Override
    public long capacity() {
        return capacity;
    }

    @Override
    public BufferCounters counters() {
        return counters;
    }

    public DropLedger ledger() {
        return ledger;
    }

    /** Records waiting to be taken (not counting batches being written). */
    public synchronized long waiting() {
        long n = quality.size() + gaps.size() + alarms.size();
        for (ArrayDeque<DecodedRow> q : rows.values()) {
            n += q.size();
        }
        return n;
    }
}
