package org.openess.gateway.storage;

import static org.openess.gateway.profile.StoredColumns.EVENT_SITE_ID;
import static org.openess.gateway.profile.StoredColumns.EVENT_TIME;
import static org.openess.gateway.profile.StoredColumns.SITE_ID;
import static org.openess.gateway.profile.StoredColumns.TIMESTAMP;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.openess.gateway.config.TimescaleSettings.Rollup;
import org.openess.gateway.profile.StoredColumns;
import org.openess.gateway.decode.Alarm;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * What the operator side reads back from the database: a device's history for the charts, the
 * stored and missing rows of a day for the loss report, alarm events. Every query a REST resource
 * or the alarm engine needs is here, next to the schema that defines the tables; none of them
 * blocks (reactive pool). A table that does not exist yet reads as empty.
 */
@ApplicationScoped
public class StorageQueries {
    private static final String UNDEFINED_TABLE = "42P01";

    @Inject
    Database database;
    @Inject
    Storage storage;

    /** One column of a history query and how its values are combined per step ({@code avg}, {@code min}, {@code max}). */
    public record Aggregate(String column, String function) {
        public Aggregate {
            if (!List.of("avg", "min", "max").contains(function)) {
                throw new IllegalArgumentException("aggregate must be avg, min or max: " + function);
            }
        }
    }

    /**
     * Step starts (epoch seconds) and, per aggregate in the order asked, one value per step (null: no
     * value); {@code resolution} says what was read: {@code raw} or a rollup's width ({@code 1m}).
     */
    public record Series(List<Long> stepStarts, List<List<Double>> values, String resolution, int stepSeconds) {
    }

    /** Windows up to this long read the raw rows; longer ones the finest rollup that gives at most {@link #MAX_POINTS}. */
    public static final Duration RAW_UP_TO = Duration.ofHours(1);
    /** Steps per answer at most: the step grows with the window (a month of 15-minute steps is 2,880). */
    public static final int MAX_POINTS = 5000;

    /**
     * {@code columns} of {@code table} for one device from {@code from} to {@code to}, per step of at
     * least {@code stepSeconds}: raw rows for windows up to {@link #RAW_UP_TO}, else the finest rollup
     * with at most {@link #MAX_POINTS} buckets (the step then is a whole number of buckets; an average
     * over several buckets weighs each by its rows). Without a rollup (plain PostgreSQL, rollups off,
     * a column not rolled up) the raw rows.
     */
    public Future<Series> history(String table, String device, Instant from, Instant to, int stepSeconds, List<Aggregate> columns) {
        long window = Math.max(1, Duration.between(from, to).toSeconds());
        int step = (int) Math.max(stepSeconds, (window + MAX_POINTS - 1) / MAX_POINTS);
        Optional<Rollup> rollup = rollupFor(table, window);
        if (rollup.isEmpty()) {
            return raw(table, device, from, to, step, columns);
        }
        int bucket = (int) rollup.get().bucket().toSeconds();
        int rolledStep = (step + bucket - 1) / bucket * bucket;
        return rolled(table, device, from, to, rolledStep, columns, rollup.get())
                // a column the rollup does not have (not numeric), or a rollup dropped by hand: the raw rows still answer
                .recover(e -> e instanceof PgException pg && (UNDEFINED_TABLE.equals(pg.getSqlState()) || "42703".equals(pg.getSqlState()))
                        ? raw(table, device, from, to, step, columns) : Future.failedFuture(e));
    }

    private Optional<Rollup> rollupFor(String table, long windowSeconds) {
        TimescaleFeatures f = storage.features();
        if (windowSeconds <= RAW_UP_TO.toSeconds() || f == null || f.rollupsOf(table).isEmpty()) {
            return Optional.empty();
        }
        List<Rollup> rollups = f.rollupsOf(table);
        return Optional.of(rollups.stream().filter(r -> windowSeconds / r.bucket().toSeconds() <= MAX_POINTS).findFirst()
                .orElse(rollups.get(rollups.size() - 1)));
    }

    private Future<Series> raw(String table, String device, Instant from, Instant to, int step, List<Aggregate> columns) {
        StringBuilder sql = new StringBuilder("SELECT floor(extract(epoch FROM " + Sql.quote(TIMESTAMP) + ") / $3)::int8 * $3 AS b");
        for (Aggregate a : columns) {
            sql.append(", ").append(a.function()).append('(').append(Sql.quote(a.column())).append(")::float8");
        }
        sql.append(" FROM ").append(Sql.quote(table)).append(" WHERE ").append(Sql.quote(SITE_ID)).append(" = $1 AND ")
                .append(Sql.quote(TIMESTAMP)).append(" >= $2 AND ").append(Sql.quote(TIMESTAMP)).append(" < $4 GROUP BY b ORDER BY b");
        return series(sql.toString(), Tuple.of(device, utc(from), step, utc(to)), columns, "raw", step);
    }

    private Future<Series> rolled(String table, String device, Instant from, Instant to, int step, List<Aggregate> columns, Rollup r) {
        StringBuilder sql = new StringBuilder("SELECT floor(extract(epoch FROM " + Sql.quote(TIMESTAMP) + ") / $3)::int8 * $3 AS b");
        for (Aggregate a : columns) {
            String c = Sql.quote(Rollups.column(a.column(), a.function()));
            sql.append(", ").append(switch (a.function()) {
                case "avg" -> "(sum(" + c + " * " + Rollups.SAMPLES + ") / nullif(sum(" + Rollups.SAMPLES + ") FILTER (WHERE " + c
                        + " IS NOT NULL), 0))::float8";
                default -> a.function() + "(" + c + ")::float8";
            });
        }
        sql.append(" FROM ").append(Sql.quote(Rollups.view(table, r))).append(" WHERE ").append(Sql.quote(SITE_ID)).append(" = $1 AND ")
                .append(Sql.quote(TIMESTAMP)).append(" >= $2 AND ").append(Sql.quote(TIMESTAMP)).append(" < $4 GROUP BY b ORDER BY b");
        return series(sql.toString(), Tuple.of(device, utc(from), step, utc(to)), columns, r.label(), step);
    }

    private Future<Series> series(String sql, Tuple params, List<Aggregate> columns, String resolution, int step) {
        return database.pool().preparedQuery(sql).execute(params).map(rs -> {
            List<Long> t = new ArrayList<>();
            List<List<Double>> values = new ArrayList<>();
            columns.forEach(c -> values.add(new ArrayList<>()));
            for (Row row : rs) {
                t.add(row.getLong(0));
                for (int i = 0; i < columns.size(); i++) {
                    values.get(i).add(row.getDouble(i + 1));
                }
            }
            return new Series(t, values, resolution, step);
        });
    }

    /** A device's rows of one table in a window: how many, and the first. */
    public record StoredRows(String device, String table, long rows, Instant first) {
    }

    /** Rows stored per device in each of {@code tables} within [from, to); tables not created yet count none. */
    public Future<List<StoredRows>> storedRows(Collection<String> tables, Collection<String> devices, Instant from, Instant to) {
        Tuple window = Tuple.of(utc(from), utc(to), devices.toArray(new String[0]));
        List<StoredRows> out = new ArrayList<>();
        List<Future<?>> queries = new ArrayList<>();
        for (String table : tables) {
            queries.add(database.pool().preparedQuery("SELECT " + Sql.quote(SITE_ID) + ", count(*), min(" + Sql.quote(TIMESTAMP) + ") FROM "
                    + Sql.quote(table) + " WHERE " + Sql.quote(TIMESTAMP) + " >= $1 AND " + Sql.quote(TIMESTAMP) + " < $2 AND "
                    + Sql.quote(SITE_ID) + " = ANY($3) GROUP BY 1").execute(window).map(rs -> {
                        synchronized (out) {
                            for (Row r : rs) {
                                out.add(new StoredRows(r.getString(0), table, r.getLong(1), r.getOffsetDateTime(2).toInstant()));
                            }
                        }
                        return null;
                    }).recover(StorageQueries::missingTableIsEmpty));
        }
        return Future.all(queries).map(v -> out);
    }

    /** Rows recorded missing in ess_gaps for one device, table and reason in a window. */
    public record RecordedGaps(String device, String table, String reason, long rows, long events, Instant first, Instant last) {
    }

    /** Gap records in [from, to) of these devices, grouped by device, table and reason, most rows first. */
    public Future<List<RecordedGaps>> recordedGaps(Collection<String> devices, Instant from, Instant to) {
        return database.pool().preparedQuery("SELECT " + EVENT_SITE_ID + ", table_name, reason, sum(missing_rows)::int8, count(*), min("
                + EVENT_TIME + "), max(" + EVENT_TIME + ") FROM " + StoredColumns.GAPS_TABLE + " WHERE " + EVENT_TIME + " >= $1 AND "
                + EVENT_TIME + " < $2 AND " + EVENT_SITE_ID + " = ANY($3) GROUP BY 1, 2, 3 ORDER BY 4 DESC")
                .execute(Tuple.of(utc(from), utc(to), devices.toArray(new String[0]))).map(rs -> {
                    List<RecordedGaps> out = new ArrayList<>();
                    for (Row r : rs) {
                        out.add(new RecordedGaps(r.getString(0), r.getString(1), r.getString(2), r.getLong(3), r.getLong(4),
                                r.getOffsetDateTime(5).toInstant(), r.getOffsetDateTime(6).toInstant()));
                    }
                    return out;
                }).recover(e -> missingTableIsEmpty(e).map(v -> List.of()));
    }

    /** Alarm events read back; {@code available} false while {@code ess_alarms} does not exist yet or the database does not answer. */
    public record AlarmHistory(boolean available, List<Alarm> alarms) {
    }

    /** Alarm events overlapping [from, to), newest first; {@code device} null for every device. */
    public Future<AlarmHistory> alarms(Instant from, Instant to, String device, int limit) {
        return database.pool().preparedQuery(ALARM_COLUMNS + " WHERE " + StoredColumns.ALARM_START + " < $1 AND (ended_at IS NULL"
                + " OR ended_at >= $2) AND ($3::text IS NULL OR " + StoredColumns.ALARM_DEVICE + " = $3) ORDER BY "
                + StoredColumns.ALARM_START + " DESC LIMIT $4")
                .execute(Tuple.of(utc(to), utc(from), device, limit)).map(rs -> new AlarmHistory(true, alarms(rs)))
                // the active alarms are answered from memory; an outage only takes the history away
                .otherwise(e -> new AlarmHistory(false, List.of()));
    }

    /** Alarms of these devices without an end: those active when the gateway last stopped. */
    public Future<List<Alarm>> openAlarms(Collection<String> devices) {
        return database.pool().preparedQuery(ALARM_COLUMNS + " WHERE ended_at IS NULL AND " + StoredColumns.ALARM_DEVICE
                + " = ANY($1)").execute(Tuple.of(devices.toArray(new String[0]))).map(StorageQueries::alarms);
    }

    private static final String ALARM_COLUMNS = "SELECT id, " + StoredColumns.ALARM_DEVICE + ", bank, rack, code, level, message, "
            + "trigger_values, peak_value, " + StoredColumns.ALARM_START + ", ended_at FROM " + StoredColumns.ALARMS_TABLE;

    private static List<Alarm> alarms(Iterable<Row> rows) {
        List<Alarm> out = new ArrayList<>();
        for (Row r : rows) {
            OffsetDateTime end = r.getOffsetDateTime(10);
            Object tv = r.getValue(7);
            Map<String, Object> trigger = tv instanceof JsonObject j ? j.getMap() : new HashMap<>();
            Object limit = trigger.get("limit");
            Object unit = trigger.get("unit");
            String column = null;
            double value = Double.NaN;
            for (Map.Entry<String, Object> e : trigger.entrySet()) {
                if (!e.getKey().equals("limit") && !e.getKey().equals("unit")) {
                    column = e.getKey();
                    value = e.getValue() instanceof Number n ? n.doubleValue() : Double.NaN;
                }
            }
            Double peak = r.getDouble(8);
            out.add(new Alarm((UUID) r.getUUID(0), r.getString(1), r.getInteger(2), r.getInteger(3), r.getString(4), r.getString(5),
                    column, unit == null ? null : unit.toString(), value, limit instanceof Number n ? n.doubleValue() : null,
                    r.getString(6), r.getOffsetDateTime(9).toInstant().toEpochMilli(), end == null ? 0 : end.toInstant().toEpochMilli(),
                    peak == null ? Double.NaN : peak));
        }
        return out;
    }

    private static <T> Future<T> missingTableIsEmpty(Throwable e) {
        // a table the schema manager has not created yet holds no rows
        return e instanceof PgException pg && UNDEFINED_TABLE.equals(pg.getSqlState()) ? Future.succeededFuture()
                : Future.failedFuture(e);
    }

    private static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
