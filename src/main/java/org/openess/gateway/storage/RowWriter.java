package org.openess.gateway.storage;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;
import org.openess.gateway.acquisition.CycleSink;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.decode.DecodedRow;
import org.openess.gateway.modbus.Backoff;
import org.openess.gateway.profile.TableLayout;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;

/**
 * Entry point of the storage stage: takes cycles from every poller, buffers them
 * ({@link RowBuffer}) and writes batches on its own event-loop context with at most
 * {@code maxInFlight} statements outstanding. A failed write puts the batch back and waits
 * (exponential backoff); polling never waits for the database. Until the schema is in place the
 * writer only buffers.
 */
public final class RowWriter implements CycleSink {
    private static final Logger LOG = Logger.getLogger(RowWriter.class);
    /** SQLSTATE classes worth retrying: connection, resources, operator intervention, tx rollback. */
    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "53", "57", "40", "55", "58", "XX");
    private static final int MAX_ATTEMPTS_FOR_DATA_ERRORS = 3;

    private final Vertx vertx;
    private final Pool pool;
    private final RowBuffer buffer;
    private final int batchRows;
    private final int maxInFlight;
    private final long flushIntervalMillis;
    private final Backoff retry;
    private final Map<TableLayout, String> rowSql = new HashMap<>();

    private Context context;
    private long timer = -1;
    private int inFlight;
    private volatile boolean schemaReady;
    private int consecutiveFailures;
    private long retryAtMillis;
    private boolean kickPending;
    private volatile long lastDropLogMillis;

    public final WriterStats stats = new WriterStats();

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
    }

    /** Counters for the status API and the benchmarks. */
    public static final class WriterStats {
        public final AtomicLong rowsAccepted = new AtomicLong();
        public final AtomicLong rowsDropped = new AtomicLong();
        public final AtomicLong rowsWritten = new AtomicLong();
        public final AtomicLong rowsDuplicate = new AtomicLong();
        public final AtomicLong rowsRejected = new AtomicLong();
        public final AtomicLong qualityWritten = new AtomicLong();
        public final AtomicLong gapsWritten = new AtomicLong();
        public final AtomicLong statements = new AtomicLong();
        public final AtomicLong failedStatements = new AtomicLong();
        public final LatencyHistogram tickToCommit = new LatencyHistogram();
        public volatile String lastError;
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

    @Override
    public void accept(CycleOutput output) {
        if (buffer.offer(output)) {
            stats.rowsAccepted.addAndGet(output.rows().size());
            if (buffer.size() >= batchRows) {
                kick();
            }
        } else {
            long n = stats.rowsDropped.addAndGet(output.rows().size());
            long now = System.currentTimeMillis();
            if (now - lastDropLogMillis >= 10_000) {
                // once per 10 s at most: a full buffer at 1000 devices would otherwise log 11k lines a second
                lastDropLogMillis = now;
                LOG.errorf("write buffer full (%d records, ess.storage.buffer-rows): dropping new rows; %d dropped so far",
                        buffer.capacity(), n);
            }
        }
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
            attempt(batch, 1);
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
        if (batch.layout() != null) {
            return pool.preparedQuery(rowSql.computeIfAbsent(batch.layout(), InsertStatements::rowsSql))
                    .execute(InsertStatements.rowsTuple(batch.layout(), batch.rows())).map(rs -> rs.rowCount());
        }
        if (!batch.quality().isEmpty()) {
            return pool.preparedQuery(InsertStatements.QUALITY_SQL).executeBatch(InsertStatements.qualityTuples(batch.quality()))
                    .map(rs -> batch.quality().size());
        }
        return pool.preparedQuery(InsertStatements.GAPS_SQL).execute(InsertStatements.gapsTuple(batch.gaps()))
                .map(rs -> rs.rowCount());
    }

    private void onWritten(Batch batch, int inserted) {
        buffer.ack(batch);
        if (consecutiveFailures > 0) {
            LOG.infof("database writes recovered after %d failed attempt(s)", consecutiveFailures);
        }
        consecutiveFailures = 0;
        stats.lastError = null;
        long now = System.currentTimeMillis();
        if (batch.layout() != null) {
            stats.rowsWritten.addAndGet(inserted);
            stats.rowsDuplicate.addAndGet(batch.rows().size() - inserted);
            long lastTick = Long.MIN_VALUE;
            long run = 0;
            for (DecodedRow r : batch.rows()) {
                if (r.tickMillis() != lastTick && run > 0) {
                    stats.tickToCommit.record(now - lastTick, run);
                    run = 0;
                }
                lastTick = r.tickMillis();
                run++;
            }
            if (run > 0) {
                stats.tickToCommit.record(now - lastTick, run);
            }
        } else if (!batch.quality().isEmpty()) {
            stats.qualityWritten.addAndGet(batch.quality().size());
        } else {
            stats.gapsWritten.addAndGet(batch.gaps().size());
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
                // the database refuses these rows themselves; retrying forever would stall every table
                inFlight--;
                buffer.ack(batch);
                stats.rowsRejected.addAndGet(batch.size());
                LOG.errorf("database rejected %s %d times (%s); dropped them", batch.describe(), attempt, message);
                flush();
                return;
            }
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
}
