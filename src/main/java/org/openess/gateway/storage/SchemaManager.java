package org.openess.gateway.storage;

import static org.openess.gateway.profile.StoredColumns.ALARMS_TABLE;
import static org.openess.gateway.profile.StoredColumns.ALARM_DEVICE;
import static org.openess.gateway.profile.StoredColumns.ALARM_START;
import static org.openess.gateway.profile.StoredColumns.EVENT_SITE_ID;
import static org.openess.gateway.profile.StoredColumns.EVENT_TIME;
import static org.openess.gateway.profile.StoredColumns.GAPS_TABLE;
import static org.openess.gateway.profile.StoredColumns.QUALITY_TABLE;
import static org.openess.gateway.profile.StoredColumns.SITE_ID;
import static org.openess.gateway.profile.StoredColumns.TIMESTAMP;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;
import org.openess.gateway.config.TimescaleSettings;
import org.openess.gateway.profile.SqlType;
import org.openess.gateway.profile.TableLayout;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * Creates and evolves every table the gateway writes: one per profile table ("TIMESTAMP",
 * "SITE_ID", the profile's columns in order, a unique key for idempotent replays), plus
 * {@code ess_quality}, {@code ess_gaps} and {@code ess_alarms}. The device column keeps the
 * OpenESS name ({@code SITE_ID}, {@code site_id}) and says in its comment that it holds the
 * device's configured id. Hypertables when TimescaleDB is available, plain logged tables with a time
 * index otherwise. New profile columns are added; a column whose type differs is an error, never
 * silently converted. Runs under an advisory lock so two gateways starting together do not race.
 */
public final class SchemaManager {
    private static final Logger LOG = Logger.getLogger(SchemaManager.class);
    private static final long LOCK_KEY = 0x455353_5343484dL; // "ESS" "SCHM"


    static final String DEVICE_COMMENT = "the device: its configured id, ess.devices.\"<id>\"";

    private final boolean wantTimescale;
    private final Duration chunkInterval;
    private final TimescaleFeatures features;
    private volatile boolean hypertables;

    /** With the default {@code ess.timescale.*} settings (compression after 2d, rollups 1m and 15m). */
    public SchemaManager(boolean wantTimescale, Duration chunkInterval) {
        this(wantTimescale, chunkInterval, TimescaleSettings.DEFAULTS);
    }

    public SchemaManager(boolean wantTimescale, Duration chunkInterval, TimescaleSettings timescale) {
        this.wantTimescale = wantTimescale;
        this.chunkInterval = chunkInterval;
        this.features = new TimescaleFeatures(timescale);
    }

    /** Compression and rollups as the last pass applied them. */
    public TimescaleFeatures features() {
        return features;
    }

    /** True once {@link #apply} found or created the timescaledb extension. */
    public boolean hypertables() {
        return hypertables;
    }

    public Future<Void> apply(Pool pool, List<TableLayout> layouts) {
        return apply(pool, layouts, () -> {
        });
    }

    /**
     * Creates and evolves the tables in one transaction, then adds what {@link TimescaleFeatures}
     * finds; {@code tablesCommitted} runs as soon as the tables are committed, since rows can be
     * written from then on and need not wait for compression and rollups.
     */
    public Future<Void> apply(Pool pool, List<TableLayout> layouts, Runnable tablesCommitted) {
        Map<String, Map<String, SqlType>> tables = mergeTables(layouts);
        // client_min_messages: "already exists, skipping" notices on every restart are noise
        return pool.withTransaction(conn -> conn.query("SET LOCAL client_min_messages = warning").execute()
                .compose(v -> conn.query("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")").execute())
                .compose(v -> timescale(conn))
                .compose(ts -> {
                    hypertables = ts;
                    Future<Void> chain = Future.succeededFuture();
                    for (Map.Entry<String, Map<String, SqlType>> t : tables.entrySet()) {
                        List<String> key = keyOf(layouts, t.getKey());
                        chain = chain.compose(v -> table(conn, t.getKey(), t.getValue(), key, ts));
                    }
                    chain = chain.compose(v -> ownTables(conn, ts));
                    return chain;
                }))
                .onSuccess(v -> tablesCommitted.run())
                .compose(v -> features.detect(pool, hypertables))
                .compose(edition -> features.apply(pool, edition, shapes(tables, layouts)))
                .onSuccess(v -> LOG.infof("schema ready: %d table(s) as %s", tables.size(),
                        hypertables ? "TimescaleDB hypertables" : "plain PostgreSQL tables (no TimescaleDB)"));
    }

    private Future<Boolean> timescale(SqlConnection conn) {
        if (!wantTimescale) {
            return Future.succeededFuture(false);
        }
        return conn.query("SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'").execute().compose(rs -> {
            if (rs.size() > 0) {
                return Future.succeededFuture(true);
            }
            return conn.query("SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'").execute().compose(av -> {
                if (av.size() == 0) {
                    return Future.succeededFuture(false);
                }
                // creating it fails when the library is not preloaded or we lack the right: fall back,
                // inside a savepoint so that the transaction stays usable
                return conn.query("SAVEPOINT ts").execute()
                        .compose(v -> conn.query("CREATE EXTENSION IF NOT EXISTS timescaledb").execute())
                        .map(v -> true)
                        .recover(e -> {
                            LOG.warnf("timescaledb is installed but cannot be created (%s); using plain tables", e.getMessage());
                            return conn.query("ROLLBACK TO SAVEPOINT ts").execute().map(v -> false);
                        });
            });
        });
    }

    private Future<Void> table(SqlConnection conn, String table, Map<String, SqlType> columns, List<String> key,
            boolean timescale) {
        StringBuilder create = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(Sql.quote(table))
                .append(" (").append(Sql.quote(TIMESTAMP)).append(" timestamptz NOT NULL, ").append(Sql.quote(SITE_ID)).append(" text NOT NULL");
        for (Map.Entry<String, SqlType> c : columns.entrySet()) {
            create.append(", ").append(Sql.quote(c.getKey())).append(' ').append(c.getValue().sql());
            if (key.contains(c.getKey())) {
                create.append(" NOT NULL");
            }
        }
        create.append(')');
        return conn.query(create.toString()).execute()
                .compose(v -> existingColumns(conn, table))
                .compose(existing -> addMissing(conn, table, columns, existing))
                .compose(v -> conn.query("CREATE UNIQUE INDEX IF NOT EXISTS " + Sql.quote(table + "_key") + " ON "
                        + Sql.quote(table) + " (" + String.join(", ", key.stream().map(Sql::quote).toList()) + ")").execute())
                .compose(v -> deviceComment(conn, table, SITE_ID))
                .compose(v -> timescale ? hypertable(conn, table, TIMESTAMP)
                        : conn.query("CREATE INDEX IF NOT EXISTS " + Sql.quote(table + "_time") + " ON " + Sql.quote(table)
                                + " (" + Sql.quote(TIMESTAMP) + " DESC)").execute().mapEmpty());
    }

    /** Only a table's owner may comment on it: a gateway that was granted writes on tables made by others goes on without. */
    private static Future<Void> deviceComment(SqlConnection conn, String table, String column) {
        return conn.query("DO $$ BEGIN COMMENT ON COLUMN " + Sql.quote(table) + "." + Sql.quote(column) + " IS "
                + Sql.literal(DEVICE_COMMENT) + "; EXCEPTION WHEN insufficient_privilege THEN NULL; END $$").execute().mapEmpty();
    }

    private Future<Map<String, String>> existingColumns(SqlConnection conn, String table) {
        return conn.preparedQuery("SELECT column_name, udt_name FROM information_schema.columns "
                + "WHERE table_schema = current_schema() AND table_name = $1").execute(Tuple.of(table)).map(rs -> {
                    Map<String, String> cols = new HashMap<>();
                    for (Row r : rs) {
                        cols.put(r.getString(0), r.getString(1));
                    }
                    return cols;
                });
    }

    private Future<Void> addMissing(SqlConnection conn, String table, Map<String, SqlType> columns,
            Map<String, String> existing) {
        Future<Void> chain = Future.succeededFuture();
        List<String> added = new ArrayList<>();
        for (Map.Entry<String, SqlType> c : columns.entrySet()) {
            String have = existing.get(c.getKey());
            if (have == null) {
                added.add(c.getKey());
                chain = chain.compose(v -> conn.query("ALTER TABLE " + Sql.quote(table) + " ADD COLUMN IF NOT EXISTS "
                        + Sql.quote(c.getKey()) + " " + c.getValue().sql()).execute().mapEmpty());
            } else if (!have.equals(c.getValue().sql())) {
                return Future.failedFuture(new SchemaException("table \"" + table + "\" column \"" + c.getKey() + "\" is " + have
                        + " in the database but " + c.getValue().sql() + " in the profile; migrate the column or rename it"));
            }
        }
        if (!added.isEmpty() && existing.size() > 0) {
            LOG.infof("table %s: added column(s) %s", table, added);
        }
        return chain;
    }

    private Future<Void> hypertable(SqlConnection conn, String table, String timeColumn) {
        return hypertable(conn, table, timeColumn, chunkInterval.toSeconds() + " seconds");
    }

    /** Alarms are few: their chunks span 30 days instead of the data tables' chunk interval. */
    private Future<Void> hypertable(SqlConnection conn, String table, String timeColumn, String chunk) {
        String sql = "SELECT create_hypertable(" + Sql.literal(Sql.quote(table)) + ", " + Sql.literal(timeColumn)
                + ", chunk_time_interval => INTERVAL " + Sql.literal(chunk)
                + ", if_not_exists => TRUE, migrate_data => TRUE)";
        return conn.query(sql).execute().mapEmpty();
    }

    private Future<Void> ownTables(SqlConnection conn, boolean timescale) {
        String quality = "CREATE TABLE IF NOT EXISTS " + QUALITY_TABLE + " (" + EVENT_TIME + " timestamptz NOT NULL, " + EVENT_SITE_ID
                + " text NOT NULL, table_name text NOT NULL, group_key int4 NOT NULL, column_name text NOT NULL, raw_registers int4[] NOT NULL, "
                + "decoded_value float8, rule text NOT NULL)";
        String alarms = alarmsTableSql();
        String gaps = "CREATE TABLE IF NOT EXISTS " + GAPS_TABLE + " (" + EVENT_TIME + " timestamptz NOT NULL, " + EVENT_SITE_ID
                + " text NOT NULL, table_name text NOT NULL, missing_rows int4 NOT NULL, reason text NOT NULL)";
        return conn.query(quality).execute()
                .compose(v -> conn.query("CREATE UNIQUE INDEX IF NOT EXISTS ess_quality_key ON " + QUALITY_TABLE
                        + " (" + EVENT_SITE_ID + ", " + EVENT_TIME + ", table_name, group_key, column_name)").execute())
                .compose(v -> conn.query(gaps).execute())
                .compose(v -> conn.query("CREATE UNIQUE INDEX IF NOT EXISTS ess_gaps_key ON " + GAPS_TABLE
                        + " (" + EVENT_SITE_ID + ", " + EVENT_TIME + ", table_name)").execute())
                .compose(v -> conn.query(alarms).execute())
                .compose(v -> conn.query("CREATE UNIQUE INDEX IF NOT EXISTS ess_alarms_key ON " + ALARMS_TABLE + " (id, "
                        + ALARM_START + ")").execute())
                .compose(v -> conn.query("CREATE INDEX IF NOT EXISTS ess_alarms_site ON " + ALARMS_TABLE + " (" + ALARM_DEVICE
                        + ", " + ALARM_START + " DESC)").execute())
                .compose(v -> deviceComment(conn, QUALITY_TABLE, EVENT_SITE_ID))
                .compose(v -> deviceComment(conn, GAPS_TABLE, EVENT_SITE_ID))
                .compose(v -> deviceComment(conn, ALARMS_TABLE, ALARM_DEVICE))
                .compose(v -> timescale ? hypertable(conn, QUALITY_TABLE, EVENT_TIME).compose(x -> hypertable(conn, GAPS_TABLE, EVENT_TIME))
                        .compose(x -> hypertable(conn, ALARMS_TABLE, ALARM_START, "30 days"))
                        : Future.succeededFuture());
    }

    /** The alarms table: one row per alarm, {@code ended_at} NULL while it is active. */
    public static String alarmsTableSql() {
        return "CREATE TABLE IF NOT EXISTS " + ALARMS_TABLE + " (id uuid NOT NULL, " + ALARM_START + " timestamptz NOT NULL, "
                + "ended_at timestamptz, " + ALARM_DEVICE + " text NOT NULL, bank int4, rack int4, code text NOT NULL, "
                + "level text NOT NULL, message text NOT NULL, trigger_values jsonb NOT NULL, peak_value float8)";
    }

    private static List<TimescaleFeatures.Shape> shapes(Map<String, Map<String, SqlType>> tables, List<TableLayout> layouts) {
        List<TimescaleFeatures.Shape> out = new ArrayList<>();
        tables.forEach((t, cols) -> out.add(new TimescaleFeatures.Shape(t, TIMESTAMP, cols, keyOf(layouts, t), true)));
        // the gateway's own records are sparse: compressed per device, never rolled up
        out.add(new TimescaleFeatures.Shape(QUALITY_TABLE, EVENT_TIME, Map.of(), List.of(EVENT_SITE_ID, EVENT_TIME), false));
        out.add(new TimescaleFeatures.Shape(GAPS_TABLE, EVENT_TIME, Map.of(), List.of(EVENT_SITE_ID, EVENT_TIME), false));
        out.add(new TimescaleFeatures.Shape(ALARMS_TABLE, ALARM_START, Map.of(), List.of(ALARM_DEVICE, ALARM_START), false));
        return out;
    }

    /** Column union per table name; the catalog has already checked that shared columns agree. */
    static Map<String, Map<String, SqlType>> mergeTables(List<TableLayout> layouts) {
        Map<String, Map<String, SqlType>> tables = new LinkedHashMap<>();
        for (TableLayout layout : layouts) {
            Map<String, SqlType> cols = tables.computeIfAbsent(layout.table(), k -> new LinkedHashMap<>());
            layout.columns().forEach(c -> cols.putIfAbsent(c.name(), c.type()));
        }
        return tables;
    }

    private static List<String> keyOf(List<TableLayout> layouts, String table) {
        return layouts.stream().filter(l -> l.table().equals(table)).findFirst().orElseThrow().keyColumns();
    }
}
