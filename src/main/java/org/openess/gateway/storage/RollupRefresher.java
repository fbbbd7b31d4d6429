package org.openess.gateway.storage;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.jboss.logging.Logger;
import org.openess.gateway.config.TimescaleSettings.Rollup;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * Keeps the Apache edition's rollup tables ({@link RollupTables}) up to date, as a continuous
 * aggregate's refresh policy would: every {@link #PERIOD}, per raw table,
 * <ol>
 * <li>reads the invalidations the raw table's trigger recorded (late rows: a replayed spool, a backfill)
 * and recomputes every bucket they touch below each rollup's watermark;</li>
 * <li>materializes the closed buckets from the watermark up to the horizon
 * ({@link RollupTables#horizonSql()}) and moves the watermark;</li>
 * <li>deletes the invalidations it handled.</li>
 * </ol>
 * Every write is an upsert of whole recomputed buckets, so a cycle cut short is simply done again.
 * Each statement covers at most {@link #MAX_SPAN} of raw time. Runs on the reactive pool (never
 * blocks an event loop), one cycle at a time, and under a session advisory lock: of several gateways
 * on one database one refreshes. {@code ess.timescale.retain-rollups} drops old buckets here, hourly.
 */
public final class RollupRefresher {
    private static final Logger LOG = Logger.getLogger(RollupRefresher.class);
    private static final long LOCK_KEY = 0x455353_524f4c4cL; // "ESS" "ROLL"
    /** How often the rollups are refreshed: the finest bucket width allowed. */
    public static final Duration PERIOD = Duration.ofMinutes(1);
    /** Raw time per refresh statement at most: a first refresh over months, or a week replayed, goes a day at a time. */
    static final Duration MAX_SPAN = Duration.ofDays(1);
    static final Duration RETENTION_EVERY = Duration.ofHours(1);

    private final Pool pool;
    private final TimescaleFeatures features;
    private Future<Void> tail = Future.succeededFuture();
    private long timer = -1;
    private Vertx vertx;
    private boolean failing;
    private Instant lastRetention = Instant.EPOCH;
    private final Set<String> failingTables = ConcurrentHashMap.newKeySet();

    public RollupRefresher(Pool pool, TimescaleFeatures features) {
        this.pool = pool;
        this.features = features;
    }

    /** Refreshes every {@link #PERIOD}, the first time after a few seconds; a cycle still running skips a tick. */
    public synchronized void start(Vertx v) {
        if (timer >= 0) {
            return;
        }
        vertx = v;
        timer = v.setPeriodic(5_000, PERIOD.toMillis(), id -> {
            synchronized (this) {
                if (tail.isComplete()) {
                    refresh();
                }
            }
        });
    }

    public synchronized void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    /** One refresh of every rollup, after the one running (if any); never fails (a failure is logged). */
    public synchronized Future<Void> refresh() {
        Future<Void> next = tail.transform(ar -> cycle());
        tail = next;
        return next;
    }

    private Future<Void> cycle() {
        List<TimescaleFeatures.Target> targets = features.maintained();
        if (targets.isEmpty()) {
            return Future.succeededFuture();
        }
        long started = System.nanoTime();
        return pool.getConnection().compose(conn -> conn.query("SELECT pg_try_advisory_lock(" + LOCK_KEY + ")").execute()
                .compose(rs -> !rs.iterator().next().getBoolean(0) ? Future.<Void>succeededFuture()
                        : each(targets, t -> table(conn, t).recover(e -> tableFailed(t, e))).compose(v -> retention(conn, targets))
                                .eventually(x -> conn.query("SELECT pg_advisory_unlock(" + LOCK_KEY + ")").execute()))
                .eventually(x -> conn.close()))
                .onSuccess(v -> {
                    // bench/rollups.sh reads this line for the time of a refresh cycle
                    LOG.debugf("rollups refreshed in %d ms (%d table(s))", (System.nanoTime() - started) / 1_000_000, targets.size());
                    if (failing) {
                        failing = false;
                        LOG.info("rollups refreshed again");
                    }
                })
                .recover(e -> {
                    if (!failing) {
                        failing = true;
                        LOG.warnf("rollup refresh failed (%s); retrying every %ds, readers see the raw rows above the watermark",
                                e.getMessage(), PERIOD.toSeconds());
                    }
                    return Future.succeededFuture();
                });
    }

    /** One table's rollups refused (a column changed by hand): said once, the other tables go on. */
    private Future<Void> tableFailed(TimescaleFeatures.Target t, Throwable e) {
        if (failingTables.add(t.shape().table())) {
            LOG.warnf("rollups of %s not refreshed (%s); retrying every %ds, readers see the raw rows above the watermark",
                    t.shape().table(), e.getMessage(), PERIOD.toSeconds());
        }
        return Future.succeededFuture();
    }

    private Future<Void> table(SqlConnection conn, TimescaleFeatures.Target t) {
        String table = t.shape().table();
        return conn.preparedQuery(RollupTables.invalidationsSql()).execute(Tuple.of(table)).compose(rs -> {
            List<Long> ids = new ArrayList<>();
            List<Instant[]> late = new ArrayList<>();
            for (Row r : rs) {
                ids.add(r.getLong(0));
                late.add(new Instant[] { r.getOffsetDateTime(1).toInstant(), r.getOffsetDateTime(2).toInstant() });
            }
            Future<Void> done = each(t.rollups(), r -> watermark(conn, t.shape(), r)
                    .compose(w -> each(slices(late, r.bucket(), w, cutoff()), s -> upsert(conn, t.shape(), r, s[0], s[1]))
                            .compose(v -> advance(conn, t.shape(), r, w))))
                    .compose(v -> ids.isEmpty() ? Future.succeededFuture()
                            : conn.preparedQuery(RollupTables.deleteInvalidationsSql()).execute(Tuple.of(ids.toArray(new Long[0])))
                                    .mapEmpty());
            return done.onSuccess(v -> {
                if (failingTables.remove(t.shape().table())) {
                    LOG.infof("rollups of %s refreshed again", t.shape().table());
                }
            });
        });
    }

    /** Late rows older than the raw retention are not re-aggregated: the rest of their day may be gone already. */
    private Instant cutoff() {
        Optional<Duration> raw = features.settings().retainRaw();
        return raw.map(d -> Instant.now().minus(d)).orElse(Instant.MIN);
    }

    /** The rollup's watermark; a rollup without one starts at the oldest raw row's bucket (or the horizon of an empty table). */
    private Future<Instant> watermark(SqlConnection conn, TimescaleFeatures.Shape s, Rollup r) {
        String name = Rollups.view(s.table(), r);
        return conn.preparedQuery(RollupTables.watermarkSql()).execute(Tuple.of(name)).compose(rs -> {
            if (rs.size() > 0) {
                return Future.succeededFuture(rs.iterator().next().getOffsetDateTime(0).toInstant());
            }
            return conn.query(RollupTables.oldestRowSql(s.table())).execute()
                    .compose(o -> {
                        OffsetDateTime oldest = o.iterator().next().getOffsetDateTime(0);
                        return oldest != null ? Future.succeededFuture(oldest.toInstant()) : horizon(conn);
                    })
                    .map(t -> floor(t, r.bucket()))
                    .compose(w -> conn.preparedQuery(RollupTables.setWatermarkSql()).execute(Tuple.of(name, s.table(), utc(w))).map(w));
        });
    }

    /** Materializes the closed buckets from {@code w} up to the horizon, a span at a time, moving the watermark after each. */
    private Future<Void> advance(SqlConnection conn, TimescaleFeatures.Shape s, Rollup r, Instant w) {
        return horizon(conn).compose(h -> {
            Instant end = floor(h, r.bucket());
            if (end.isAfter(w.plus(MAX_SPAN))) {
                end = w.plus(MAX_SPAN);
            }
            if (!end.isAfter(w)) {
                return Future.succeededFuture();
            }
            Instant to = end;
            return upsert(conn, s, r, w, to)
                    .compose(v -> conn.preparedQuery(RollupTables.setWatermarkSql()).execute(Tuple.of(Rollups.view(s.table(), r),
                            s.table(), utc(to))))
                    .compose(v -> advance(conn, s, r, to));
        });
    }

    private Future<Instant> horizon(SqlConnection conn) {
        return conn.query(RollupTables.horizonSql()).execute().map(rs -> rs.iterator().next().getOffsetDateTime(0).toInstant());
    }

    private static Future<Void> upsert(SqlConnection conn, TimescaleFeatures.Shape s, Rollup r, Instant from, Instant to) {
        return conn.preparedQuery(RollupTables.upsertSql(s, r)).execute(Tuple.of(utc(from), utc(to))).mapEmpty();
    }

    /**
     * The bucket-aligned ranges to recompute for late rows in {@code late} ([first, last] row time):
     * below the watermark {@code w} (above it the next materialization takes them), not before
     * {@code cutoff}, merged, and cut into pieces of at most {@link #MAX_SPAN}.
     */
    static List<Instant[]> slices(List<Instant[]> late, Duration bucket, Instant w, Instant cutoff) {
        List<Instant[]> ranges = new ArrayList<>();
        Instant floorCut = cutoff.equals(Instant.MIN) ? Instant.MIN : floor(cutoff, bucket).plus(bucket);
        for (Instant[] l : late) {
            Instant a = floor(l[0], bucket);
            Instant b = floor(l[1], bucket).plus(bucket);
            if (b.isAfter(w)) {
                b = w;
            }
            if (a.isBefore(floorCut)) {
                a = floorCut;
            }
            if (a.isBefore(b)) {
                ranges.add(new Instant[] { a, b });
            }
        }
        ranges.sort(Comparator.comparing(x -> x[0]));
        List<Instant[]> merged = new ArrayList<>();
        for (Instant[] x : ranges) {
            Instant[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && !x[0].isAfter(last[1])) {
                if (x[1].isAfter(last[1])) {
                    last[1] = x[1];
                }
            } else {
                merged.add(new Instant[] { x[0], x[1] });
            }
        }
        List<Instant[]> out = new ArrayList<>();
        for (Instant[] x : merged) {
            for (Instant a = x[0]; a.isBefore(x[1]); a = a.plus(MAX_SPAN)) {
                Instant b = a.plus(MAX_SPAN);
                out.add(new Instant[] { a, b.isBefore(x[1]) ? b : x[1] });
            }
        }
        return out;
    }

    /** ess.timescale.retain-rollups: whole chunks first, then the older buckets of the chunk that straddles the limit. */
    private Future<Void> retention(SqlConnection conn, List<TimescaleFeatures.Target> targets) {
        Optional<Duration> keep = features.settings().retainRollups();
        Instant now = Instant.now();
        if (keep.isEmpty() || Duration.between(lastRetention, now).compareTo(RETENTION_EVERY) < 0) {
            return Future.succeededFuture();
        }
        OffsetDateTime limit = utc(now.minus(keep.get()));
        List<String> stores = new ArrayList<>();
        targets.forEach(t -> t.rollups().forEach(r -> stores.add(RollupTables.store(t.shape().table(), r))));
        return each(stores, st -> conn.preparedQuery(RollupTables.dropOldChunksSql(st)).execute(Tuple.of(limit))
                .compose(v -> conn.preparedQuery(RollupTables.deleteOldSql(st)).execute(Tuple.of(limit))).mapEmpty())
                .onSuccess(v -> lastRetention = now);
    }

    static Instant floor(Instant t, Duration bucket) {
        long b = bucket.toSeconds();
        return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), b) * b);
    }

    private static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    private static <T> Future<Void> each(List<T> items, Function<T, Future<Void>> work) {
        Future<Void> chain = Future.succeededFuture();
        for (T item : items) {
            chain = chain.compose(v -> work.apply(item));
        }
        return chain;
    }
}
