package org.openess.gateway.storage.buffer;

import java.util.concurrent.atomic.AtomicLong;

import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.decode.DecodedRow;
import org.openess.gateway.profile.StoredColumns;

/**
 * What a buffer took and what it had to drop: rows of dropped cycles (in total and per table),
 * and the cycles. A dropped cycle's quality records are counted under {@code ess_quality} per
 * table but not in {@link #rowsDropped()} (rows are data rows); its gap records are not counted:
 * the drop ledger writes them to {@code ess_gaps} along with the dropped ticks.
 */
public final class BufferCounters {
    private final AtomicLong rowsAccepted = new AtomicLong();
    private final AtomicLong rowsDropped = new AtomicLong();
    private final AtomicLong cyclesDropped = new AtomicLong();
    private final TableCounters droppedByTable = new TableCounters();

    public void accepted(int rows) {
        rowsAccepted.addAndGet(rows);
    }

    /** A cycle that will not reach the database; returns the rows dropped so far, this cycle included. */
    public long dropped(CycleOutput cycle) {
        cyclesDropped.incrementAndGet();
        String table = null;
        int run = 0;
        // a cycle's rows come grouped by table: one map update per table, not per row
        for (DecodedRow r : cycle.rows()) {
            String t = r.layout().table();
            if (!t.equals(table)) {
                if (run > 0) {
                    droppedByTable.add(table, run);
                }
                table = t;
                run = 0;
            }
            run++;
        }
        if (run > 0) {
            droppedByTable.add(table, run);
        }
        if (!cycle.quality().isEmpty()) {
            droppedByTable.add(StoredColumns.QUALITY_TABLE, cycle.quality().size());
        }
        return rowsDropped.addAndGet(cycle.rows().size());
    }

    /** Dropped rows per table name (ess_quality: quality records); a live, read-only view. */
    public TableCounters droppedByTable() {
        return droppedByTable;
    }

    public long rowsAccepted() {
        return rowsAccepted.get();
    }

    public long rowsDropped() {
        return rowsDropped.get();
    }

    public long cyclesDropped() {
        return cyclesDropped.get();
    }
}
