package org.openess.gateway.alarm;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;
import org.openess.gateway.ops.GatewayReadings;
import org.openess.gateway.ops.WriterReading;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Writes alarm starts (INSERT) and ends (UPDATE) to {@value #TABLE} in order, from a bounded
 * queue drained once a second on its own event-loop context. The table is created on the schema
 * manager's terms once it has run (a hypertable on {@code started_at} when the data tables are
 * hypertables, a plain table otherwise); events of a previous process still open are closed then,
 * since nothing watched them while the gateway was down. While the database is unreachable the queue
 * keeps the events; when it holds {@value #CAPACITY} the newest are dropped and counted
 * ({@code ess_alarm_events_dropped_total}): the in-memory active list and the metrics stay right,
 * only the history misses them.
 */
@ApplicationScoped
public class AlarmStore {
    private static final Logger LOG = Logger.getLogger(AlarmStore.class);
    public static final String TABLE = "ess_alarms";
    /** When an alarm started (timestamptz): the hypertable's time column and the archive's day. */
    public static final String START_COLUMN = "started_at";
    public static final String SITE_COLUMN = "site_id";
    static final int CAPACITY = 10_000;
    private static final int BATCH = 200;

    @Inject
    Vertx vertx;
    @Inject
    GatewayReadings readings;

    private record Op(Alarm alarm, boolean start) {
    }

    private final ArrayDeque<Op> queue = new ArrayDeque<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private volatile boolean tableReady;
    private List<String> sites = List.of();
    private Context context;
    private boolean busy;
    private long lastDropLog;
    private volatile String lastError;

    /** Starts draining once a second; called at every gateway start, it keeps a single timer. */
    synchronized void start(List<String> sites) {
        this.sites = List.copyOf(sites);
        if (context == null) {
            context = vertx.getOrCreateContext();
            context.runOnContext(v -> vertx.setPeriodic(1000, id -> drain()));
        }
    }

    void started(Alarm a) {
        offer(new Op(a, true));
    }

    void ended(Alarm a) {
        offer(new Op(a, false));
    }

    private void offer(Op op) {
        synchronized (queue) {
            if (queue.size() < CAPACITY) {
                queue.addLast(op);
                return;
            }
        }
        long n = dropped.incrementAndGet();
        long now = System.currentTimeMillis();
        if (now - lastDropLog > 10_000) {
            lastDropLog = now;
            LOG.errorf("alarm event queue full (%d): %d event(s) not stored so far", CAPACITY, n);
        }
    }

    public long queued() {
        synchronized (queue) {
            return queue.size();
        }
    }

    public long dropped() {
        return dropped.get();
    }

    public long written() {
        return written.get();
    }

    public boolean tableReady() {
        return tableReady;
    }

    public String lastError() {
        return lastError;
    }

    /** Runs on the store's context once a second: table first, then queued events in order. */
    private void drain() {
        if (busy) {
            return;
        }
        WriterReading w = readings.writer();
        if (w == null || !w.schemaReady()) {
            return; // the schema manager decides hypertable or not; wait for it
        }
        busy = true;
        Future<Void> step = tableReady ? Future.succeededFuture() : createTable(w.hypertables());
        step.compose(v -> writeBatch()).onComplete(ar -> {
            busy = false;
            if (ar.failed()) {
                String message = ar.cause().getMessage();
                if (!message.equals(lastError)) {
                    LOG.warnf("alarm events not stored yet (%s); %d queued, retrying every second", message, queued());
                }
                lastError = message;
            } else {
                lastError = null;
            }
        });
    }

    /** The events table; the archive exports it per site and day of {@link #START_COLUMN}. */
    public static String createTableSql() {
        return "CREATE TABLE IF NOT EXISTS " + TABLE + " (id uuid NOT NULL, " + START_COLUMN + " timestamptz NOT NULL, "
                + "ended_at timestamptz, " + SITE_COLUMN + " text NOT NULL, bank int4, rack int4, code text NOT NULL, "
                + "level text NOT NULL, message text NOT NULL, trigger_values jsonb NOT NULL, peak_value float8)";
    }

    private Future<Void> createTable(boolean hypertable) {
        String create = createTableSql();
        return readings.pool().withTransaction(c -> c.query("SET LOCAL client_min_messages = warning").execute()
                .compose(v -> c.query(create).execute())
                .compose(v -> c.query("CREATE UNIQUE INDEX IF NOT EXISTS ess_alarms_key ON " + TABLE + " (id, started_at)").execute())
                .compose(v -> c.query("CREATE INDEX IF NOT EXISTS ess_alarms_site ON " + TABLE + " (site_id, started_at DESC)").execute())
                .compose(v -> hypertable ? c.query("SELECT create_hypertable('" + TABLE + "', 'started_at', "
                        + "chunk_time_interval => INTERVAL '30 days', if_not_exists => TRUE, migrate_data => TRUE)").execute()
                        : Future.succeededFuture())
                .compose(v -> c.preparedQuery("UPDATE " + TABLE + " SET ended_at = now(), message = message || ' (closed: the gateway "
                        + "restarted while it was active)' WHERE ended_at IS NULL AND site_id = ANY($1)")
                        .execute(Tuple.of(sites.toArray(new String[0]))))
                .<Void>mapEmpty())
                .onSuccess(v -> {
                    tableReady = true;
                    LOG.infof("alarm events table %s ready (%s)", TABLE, hypertable ? "hypertable" : "plain table");
                });
    }

    private Future<Void> writeBatch() {
        List<Op> batch = new ArrayList<>();
        synchronized (queue) {
            for (Op op : queue) {
                if (batch.size() == BATCH) {
                    break;
                }
                batch.add(op);
            }
        }
        if (batch.isEmpty()) {
            return Future.succeededFuture();
        }
        // one transaction in queue order: a start is always stored before its end
        return readings.pool().withTransaction(c -> {
            Future<Void> chain = Future.succeededFuture();
            for (Op op : batch) {
                Alarm a = op.alarm();
                chain = chain.compose(v -> op.start()
                        ? c.preparedQuery("INSERT INTO " + TABLE + " (id, started_at, site_id, bank, rack, code, level, message, "
                                + "trigger_values, peak_value) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING")
                                .execute(Tuple.from(new Object[] { a.id(), at(a.startMillis()), a.site(), a.bank(), a.rack(), a.code(),
                                        a.level(), a.message(), triggerValues(a), a.peak() }))
                                .<Void>mapEmpty()
                        : c.preparedQuery("UPDATE " + TABLE + " SET ended_at = $1, peak_value = $2, message = $5 WHERE id = $3 "
                                + "AND started_at = $4")
                                .execute(Tuple.of(at(a.endMillis()), a.peak(), a.id(), at(a.startMillis()), a.message()))
                                .<Void>mapEmpty());
            }
            return chain;
        }).onSuccess(v -> {
            synchronized (queue) {
                for (int i = 0; i < batch.size(); i++) {
                    queue.pollFirst();
                }
            }
            written.addAndGet(batch.size());
        });
    }

    private static JsonObject triggerValues(Alarm a) {
        JsonObject j = new JsonObject().put(a.column(), a.value());
        if (a.limit() != null) {
            j.put("limit", a.limit());
        }
        if (a.unit() != null) {
            j.put("unit", a.unit());
        }
        return j;
    }

    static OffsetDateTime at(long millis) {
        return java.time.Instant.ofEpochMilli(millis).atOffset(ZoneOffset.UTC);
    }
}
