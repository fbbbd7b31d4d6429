package org.openess.gateway.ops;

import java.util.Map;

import org.openess.gateway.storage.SchemaManager;
import org.openess.gateway.storage.spool.SpoolRowBuffer;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The storage stage's numbers at one moment. {@code perTable} is keyed by table name: every table
 * the writer writes to, i.e. the device tables (also those SunSpec devices discovered at run time)
 * and {@code ess_quality} / {@code ess_gaps} for quality and gap records. Dropped counts include
 * the spool's memory fallback. {@code bufferRecords} is 0 and {@code spoolRecords} the depth with
 * a spool; {@code spoolRecords} is -1 and {@code spool} null without one.
 */
public record WriterReading(boolean schemaReady, boolean hypertables, boolean durable, long bufferRecords, long bufferCapacity,
        long spoolRecords, long rowsAccepted, long cyclesDropped, Map<String, TableCounts> perTable, long qualityWritten,
        long gapsWritten, long statements, long failedStatements, long tickToCommitP50Ms, long tickToCommitP99Ms,
        long tickToCommitMaxMs, long tickToCommitSamples, long replayTickToCommitP99Ms, long replayTickToCommitSamples,
        String lastError, SpoolRowBuffer.Status spool) {

    /** Rows of one table: stored, already there (replays), dropped by a full buffer, refused by the database. */
    @RegisterForReflection // in /api/status (writer.tables)
    public record TableCounts(long written, long duplicate, long dropped, long rejected) {
        public static final TableCounts NONE = new TableCounts(0, 0, 0, 0);
    }

    /** Sums over every table, {@code ess_quality} and {@code ess_gaps} included. */
    public TableCounts totals() {
        return sum(true);
    }

    /** Sums over the device tables only: the "rows" of {@code /api/status}. */
    public TableCounts dataRows() {
        return sum(false);
    }

    /** Records buffered and not yet committed, wherever they wait. */
    public long buffered() {
        return durable ? spoolRecords : bufferRecords;
    }

    private TableCounts sum(boolean eventTables) {
        long w = 0, d = 0, dr = 0, r = 0;
        for (Map.Entry<String, TableCounts> e : perTable.entrySet()) {
            if (!eventTables && SchemaManager.isEventTable(e.getKey())) {
                continue;
            }
            TableCounts c = e.getValue();
            w += c.written();
            d += c.duplicate();
            dr += c.dropped();
            r += c.rejected();
        }
        return new TableCounts(w, d, dr, r);
    }
}
