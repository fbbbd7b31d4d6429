package org.openess.gateway.storage;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;
import org.openess.gateway.profile.StoredColumns;
import org.openess.gateway.storage.buffer.Batch;
import org.openess.gateway.storage.buffer.RowBuffer;
import org.openess.gateway.storage.buffer.TableCounters;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.decode.DecodedRow;
import org.openess.gateway.retry.Backoff;
import org.openess.gateway.profile.TableLayout;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;

/**
 * Entry point of the storage stage: takes cycles from every poller, buffers them
 * ({@link RowBuffer}: in memory, or the durable spool) and writes batches on its own event-loop
 * context with at most {@code maxInFlight} statements outstanding. A failed write puts the batch
 * back and waits (exponential backoff); polling never waits for the database. Until the schema is
 * in place the writer only buffers. A table whose rows the database refuses for good (a column
 * type changed by hand) is parked: its batches are tried once and rejected (counted, logged,
 * recorded in {@code ess_gaps}) so that they never hold the other tables' in-flight slots.
 */
public final class RowWriter {
    private static final Logger LOG = Logger.getLogger(RowWriter.class);
    /**
     * SQLSTATE classes that say nothing about the rows themselves, so the batch is retried until
     * the database takes it: 08 connection exception, 40 transaction rollback (serialization,
     * deadlock), 53 insufficient resources (disk full, out of memory, too many connections), 55
     * object not in prerequisite state (lock not available), 57 operator intervention (admin
     * shutdown, cannot connect now, query cancelled), 58 system error (I/O), XX internal error.
     * Every other class (22 data exception, 23 constraint violation, 42 syntax/undefined/type
     * mismatch, ...) is a verdict on these rows or this table: retried a few times, then rejected.
     */
    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "40", "53", "55", "57", "58", "XX");
    private static final int MAX_ATTEMPTS_FOR_DATA_ERRORS = 3;
    /** How long a table stays parked after a rejection (its batches tried once, not three times). */
    private static final long PARK_MILLIS = 60_000;

    private final Vertx vertx;
    private final Pool pool;
    private final RowBuffer buffer;
    private final int batchRows;
    private final int maxInFlight;
    private final long flushIntervalMillis;
    private final Backoff retry;
    private final Map<TableLayout, String> rowSql = new HashMap<>();
    private final Map<String, Long> parkedUntil = new HashMap<>();
    private final Map<String, String> lastRejection = new HashMap<>();

    private Context context;
    private long timer = -1;
    private int inFlight;
    private volatile boolean schemaReady;
    private int consecutiveFailures;
    private long retryAtMillis;
    private boolean kickPending;

    private final WriterStats stats = new WriterStats();

    public RowWriter(Vertx vertx, Pool pool, RowBuffer buffer, List<TableLayout> layouts, int batchRows, int maxInFlight,
            long flushIntervalMillis, Backoff retry) {
        this.vertx = vertx;
        this.pool = pool;
        this.buffer = buffer;
        this.batchRows = batchRows;
        this.maxInFlight = maxInFlight;
        this.flushIntervalMillis = flushIntervalMillis;
        this.retry = retry;
        layouts.forEach(l -> rowSql.put(l, InsertStatements.rowsSql(l)));
        tablesKnown(layouts);
        stats.table(StoredColumns.QUALITY_TABLE);
        stats.table(StoredColumns.GAPS_TABLE);
        stats.table(StoredColumns.ALARMS_TABLE);
        buffer.onReady(batchRows, this::kick);
    }

    /**
     * Counters for the status API, the metrics and the benchmarks; the buffer's own counts (accepted,
     * dropped) come from {@link RowBuffer#counters()}. Rows written, duplicate and rejected are kept
     * per table (the batch's {@link TableLayout#table()}; quality and gap records under their own
     * tables {@value StoredColumns#QUALITY_TABLE} and {@value StoredColumns#GAPS_TABLE}); the totals
     * below are sums of those, so there is one set of books.
     */
    public static final class WriterStats {
        private final TableCounters written = new TableCounters();
        private final TableCounters duplicate = new TableCounters();
        private final TableCounters rejected = new TableCounters();
        private final AtomicLong statements = new AtomicLong();
        private final AtomicLong failedStatements = new AtomicLong();
        private final LatencyHistogram tickToCommit = new LatencyHistogram();
        private final LatencyHistogram replayTickToCommit = new LatencyHistogram();
        private volatile String lastError;

        /** Makes a table known (its counts 0) before its first batch, so it is listed from the start. */
        void table(String table) {
            written.add(table, 0);
            duplicate.add(table, 0);
            rejected.add(table, 0);
        }

        /** Rows stored in the device tables (quality and gap records not included). */
        public long rowsWritten() {
            return written.sum(t -> !StoredColumns.isEventTable(t));
        }

        /** Rows the unique key already held (replays after a crash or a lost acknowledgement). */
        public long rowsDuplicate() {
            return duplicate.sum(t -> !StoredColumns.isEventTable(t));
        }

        /** Records the database refused for good (recorded in ess_gaps), quality and gap records included. */
        public long rowsRejected() {
            return rejected.sum(t -> true);
        }

        public long qualityWritten() {
            return written.get(StoredColumns.QUALITY_TABLE);
        }

        public long gapsWritten() {
            return written.get(StoredColumns.GAPS_TABLE);
        }

        /** Per table: rows the database stored (quality and gap records: records acknowledged). */
        public TableCounters writtenByTable() {
            return written;
        }

        public TableCounters duplicateByTable() {
            return duplicate;
        }

        public TableCounters rejectedByTable() {
            return rejected;
        }

        public long statements() {
            return statements.get();
        }

        public long failedStatements() {
            return failedStatements.get();
        }

        /** Tick to commit of live rows (rows replayed from a spool backlog are in {@link #replayTickToCommit()}). */
        public LatencyHistogram tickToCommit() {
            return tickToCommit;
        }

        public LatencyHistogram replayTickToCommit() {
            return replayTickToCommit;
        }

        public String lastError() {
            return lastError;
        }
    }

    public WriterStats stats() {
        return stats;
    }

    /** Tables whose rows may come (the catalog's, or discovered at run time): listed in the counts from now on. */
    public void tablesKnown(java.util.Collection<TableLayout> layouts) {
        layouts.forEach(l -> stats.table(l.table()));
    }

    public void start() {
        context = vertx.getOrCreateContext();
        context.runOnContext(v -> timer = vertx.setPeriodic(flushIntervalMillis, id -> flush()));
    }

    public Future<Void> stop() {
        if (context == null) {
            return Future.succeededFuture();
        }
        return Future.future(p -> context.runOnContext(v -> {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
            p.complete();
        }));
    }

    public void schemaReady() {
        schemaReady = true;
        kick();
    }

    /**
     * New tables are being created (a device discovered them at run time): hold every write until
     * {@link #schemaReady} again, so no row reaches a table that does not exist yet. Cycles keep
     * being buffered meanwhile.
     */
    public void schemaPending() {
        schemaReady = false;
    }

    public boolean isSchemaReady() {
        return schemaReady;
    }

    public RowBuffer buffer() {
        return buffer;
    }

    /** Statements outstanding (read from other threads for shutdown; approximate). */
    public int inFlight() {
        return inFlight;
    }

    public void accept(CycleOutput output) {
        // the buffer counts and records what it drops itself, and wakes the writer when a batch is ready (onReady)
        buffer.offer(output);
    }

    private void kick() {
        if (context == null) {
            return;
        }
        synchronized (this) {
            if (kickPending) {
                return;
            }
            kickPending = true;
        }
        context.runOnContext(v -> {
            synchronized (this) {
                kickPending = false;
            }
            flush();
        });
    }

    /** Starts batches until the in-flight limit or the buffer runs out. Runs on the writer context. */
    private void flush() {
        if (!schemaReady || System.currentTimeMillis() < retryAtMillis) {
            return;
        }
        while (inFlight < maxInFlight) {
            Batch batch = buffer.take(batchRows);
            if (batch == null) {
                return;
            }
            inFlight++;
            String table = batch instanceof Batch.Rows r ? r.layout().table() : null;
            boolean parked = table != null && parkedUntil.getOrDefault(table, 0L) > System.currentTimeMillis();
            attempt(batch, parked ? MAX_ATTEMPTS_FOR_DATA_ERRORS : 1);
        }
    }

    private void attempt(Batch batch, int attempt) {
        write(batch).onComplete(ar -> {
            if (ar.succeeded()) {
                inFlight--;
                onWritten(batch, ar.result());
                flush();
            } else {
                onFailed(batch, attempt, ar.cause());
            }
        });
    }

    private Future<Integer> write(Batch batch) {
        stats.statements.incrementAndGet();
        if (batch instanceof Batch.Rows r) {
            return pool.preparedQuery(rowSql.computeIfAbsent(r.layout(), InsertStatements::rowsSql))
                    .execute(InsertStatements.rowsTuple(r.layout(), r.rows())).map(rs -> rs.rowCount());
        }
        if (batch instanceof Batch.Quality q) {
            return pool.preparedQuery(InsertStatements.QUALITY_SQL).executeBatch(InsertStatements.qualityTuples(q.events()))
                    .map(rs -> q.events().size());
        }
        if (batch instanceof Batch.Alarms a) {
            return pool.preparedQuery(InsertStatements.ALARMS_SQL).executeBatch(InsertStatements.alarmTuples(a.alarms()))
                    .map(rs -> a.alarms().size());
        }
        Batch.Gaps g = (Batch.Gaps) batch;
        return pool.preparedQuery(InsertStatements.GAPS_SQL).execute(InsertStatements.gapsTuple(g.gaps()))
                .map(rs -> rs.rowCount());
    }

    private void onWritten(Batch batch, int inserted) {
        boolean replayed = buffer.replayed(batch);
        buffer.ack(batch);
        if (consecutiveFailures > 0) {
            LOG.infof("database writes recovered after %d failed attempt(s)", consecutiveFailures);
        }
        consecutiveFailures = 0;
        stats.lastError = null;
        long now = System.currentTimeMillis();
        if (batch instanceof Batch.Rows r) {
            if (parkedUntil.remove(r.layout().table()) != null) {
                lastRejection.remove(r.layout().table());
                LOG.infof("table %s takes rows again", r.layout().table());
            }
            stats.written.add(r.layout().table(), inserted);
            stats.duplicate.add(r.layout().table(), r.rows().size() - inserted);
            LatencyHistogram latency = replayed ? stats.replayTickToCommit : stats.tickToCommit;
            long lastTick = Long.MIN_VALUE;
            long run = 0;
            for (DecodedRow row : r.rows()) {
                if (row.tickMillis() != lastTick && run > 0) {
                    latency.record(now - lastTick, run);
                    run = 0;
                }
                lastTick = row.tickMillis();
                run++;
            }
            if (run > 0) {
                latency.record(now - lastTick, run);
            }
        } else if (batch instanceof Batch.Quality q) {
            stats.written.add(StoredColumns.QUALITY_TABLE, q.events().size());
        } else if (batch instanceof Batch.Alarms a) {
            stats.written.add(StoredColumns.ALARMS_TABLE, a.alarms().size());
        } else {
            stats.written.add(StoredColumns.GAPS_TABLE, batch.size());
        }
    }

    private void onFailed(Batch batch, int attempt, Throwable cause) {
        stats.failedStatements.incrementAndGet();
        String message = cause.getMessage();
        stats.lastError = message;
        boolean dataError = cause instanceof PgException pg && pg.getSqlState() != null
                && !TRANSIENT_CLASSES.contains(pg.getSqlState().substring(0, 2));
        if (dataError) {
            if (attempt >= MAX_ATTEMPTS_FOR_DATA_ERRORS) {
                reject(batch, ((PgException) cause).getSqlState(), message);
                inFlight--;
                flush();
                return;
            }
            // keeps its in-flight slot while it waits: a table with such errors cannot flood the database
            vertx.setTimer(retry.delayMillis(attempt - 1), id -> attempt(batch, attempt + 1));
            return;
        }
        inFlight--;
        buffer.requeue(batch);
        long delay = retry.delayMillis(consecutiveFailures++);
        retryAtMillis = System.currentTimeMillis() + delay;
        if (consecutiveFailures == 1 || Long.bitCount(consecutiveFailures) == 1) {
            LOG.warnf("database write of %s failed (%s); %d record(s) buffered, retrying in %d ms", batch.describe(), message,
                    buffer.size(), delay);
        }
        vertx.setTimer(delay, id -> flush());
    }

    /** The database refuses these records themselves; retrying forever would stall every table. */
    private void reject(Batch batch, String sqlState, String message) {
        String table = batch instanceof Batch.Rows r ? r.layout().table()
                : batch instanceof Batch.Quality ? StoredColumns.QUALITY_TABLE
                : batch instanceof Batch.Alarms ? StoredColumns.ALARMS_TABLE : StoredColumns.GAPS_TABLE;
        stats.rejected.add(table, batch.size());
        String reason = "rejected by the database (SQLSTATE " + sqlState + "): " + message;
        buffer.reject(batch, reason.length() > 500 ? reason.substring(0, 500) : reason);
        parkedUntil.put(table, System.currentTimeMillis() + PARK_MILLIS);
        if (!message.equals(lastRejection.put(table, message))) {
            // once per table and error, not once per batch: a parked table rejects a batch every flush
            LOG.errorf("database rejected %s (SQLSTATE %s: %s); dropped them, recorded in ess_gaps; table %s parked: "
                    + "its batches are tried once until a write succeeds (%d record(s) rejected so far)", batch.describe(),
                    sqlState, message, table, stats.rowsRejected());
        }
    }
}
