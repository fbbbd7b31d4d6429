package org.openess.gateway.storage;

import java.util.Map;

import org.openess.gateway.profile.StoredColumns;
import org.openess.gateway.storage.spool.SpoolRowBuffer;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The storage stage's numbers at one moment, for the status API, the metrics and health.
 * {@code perTable} is keyed by table name: every table the writer writes to (the device tables,
 * also those SunSpec devices discovered at run time, and {@code ess_quality}, {@code ess_gaps},
 * {@code ess_alarms}). Dropped counts include the spool's memory fallback. With a spool,
 * {@code bufferRecords} is 0 and {@code spoolRecords} its depth; without, {@code spoolRecords} is -1
 * and {@code spool} null. Built with {@link #builder()}.
 */
public record WriterStatus(boolean schemaReady, boolean hypertables, boolean durable, long bufferRecords, long bufferCapacity,
        long spoolRecords, long rowsAccepted, long cyclesDropped, Map<String, TableCounts> perTable, long statements,
        long failedStatements, Latency live, Latency replayed, String lastError, SpoolRowBuffer.Status spool) {

    /** Rows of one table: stored, already there (replays), dropped by a full buffer, refused by the database. */
    @RegisterForReflection // in /api/status (writer.tables)
    public record TableCounts(long written, long duplicate, long dropped, long rejected) {
        public static final TableCounts NONE = new TableCounts(0, 0, 0, 0);
    }

    /** Tick-to-commit of the rows stored since start (or since the last reset); -1 while none. */
    public record Latency(long p50Ms, long p99Ms, long maxMs, long samples) {
        static Latency of(LatencyHistogram h) {
            return new Latency(h.percentile(0.50), h.percentile(0.99), h.max(), h.count());
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Sums over every table, the gateway's own record tables included. */
    public TableCounts totals() {
        return sum(true);
    }

    /** Sums over the device tables only: the "rows" of {@code /api/status}. */
    public TableCounts dataRows() {
        return sum(false);
    }

    public TableCounts counts(String table) {
        return perTable.getOrDefault(table, TableCounts.NONE);
    }

    /** Records buffered and not yet committed, wherever they wait. */
    public long buffered() {
        return durable ? spoolRecords : bufferRecords;
    }

    private TableCounts sum(boolean eventTables) {
        long w = 0, d = 0, dr = 0, r = 0;
        for (Map.Entry<String, TableCounts> e : perTable.entrySet()) {
            if (!eventTables && StoredColumns.isEventTable(e.getKey())) {
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

    public static final class Builder {
        private boolean schemaReady;
        private boolean hypertables;
        private boolean durable;
        private long bufferRecords;
        private long bufferCapacity;
        private long spoolRecords = -1;
        private long rowsAccepted;
        private long cyclesDropped;
        private Map<String, TableCounts> perTable = Map.of();
        private long statements;
        private long failedStatements;
        private Latency live = new Latency(-1, -1, -1, 0);
        private Latency replayed = new Latency(-1, -1, -1, 0);
        private String lastError;
        private SpoolRowBuffer.Status spool;

        private Builder() {
        }

        public Builder schema(boolean ready, boolean hypertables) {
            this.schemaReady = ready;
            this.hypertables = hypertables;
            return this;
        }

        /** A memory buffer: {@code records} held of {@code capacity}. */
        public Builder memory(long records, long capacity) {
            this.durable = false;
            this.bufferRecords = records;
            this.bufferCapacity = capacity;
            return this;
        }

        /** A spool: {@code records} on disk or on their way there; {@code capacity} of its memory fallback. */
        public Builder spool(long records, long capacity, SpoolRowBuffer.Status status) {
            this.durable = true;
            this.spoolRecords = records;
            this.bufferCapacity = capacity;
            this.spool = status;
            return this;
        }

        public Builder accepted(long rows, long cyclesDropped) {
            this.rowsAccepted = rows;
            this.cyclesDropped = cyclesDropped;
            return this;
        }

        public Builder tables(Map<String, TableCounts> perTable) {
            this.perTable = Map.copyOf(perTable);
            return this;
        }

        public Builder statements(long sent, long failed, String lastError) {
            this.statements = sent;
            this.failedStatements = failed;
            this.lastError = lastError;
            return this;
        }

        public Builder latency(Latency live, Latency replayed) {
            this.live = live;
            this.replayed = replayed;
            return this;
        }

        public WriterStatus build() {
            return new WriterStatus(schemaReady, hypertables, durable, bufferRecords, bufferCapacity, spoolRecords, rowsAccepted,
                    cyclesDropped, perTable, statements, failedStatements, live, replayed, lastError, spool);
        }
    }
}
