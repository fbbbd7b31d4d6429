package org.openess.gateway.ops;

import java.util.Map;

/**
 * The storage stage's numbers at one moment. {@code perTable} is keyed by table name; while the
 * writer only keeps totals it holds one entry, "all". {@code spoolRecords} is -1 without a spool.
 */
public record WriterReading(boolean schemaReady, boolean hypertables, long bufferRecords, long bufferCapacity, long spoolRecords,
        long rowsAccepted, Map<String, TableCounts> perTable, long qualityWritten, long gapsWritten, long statements,
        long failedStatements, long tickToCommitP50Ms, long tickToCommitP99Ms, long tickToCommitMaxMs, long tickToCommitSamples,
        String lastError) {

    public record TableCounts(long written, long duplicate, long dropped, long rejected) {
    }

    public TableCounts totals() {
        long w = 0, d = 0, dr = 0, r = 0;
        for (TableCounts c : perTable.values()) {
            w += c.written();
            d += c.duplicate();
            dr += c.dropped();
            r += c.rejected();
        }
        return new TableCounts(w, d, dr, r);
    }
}
