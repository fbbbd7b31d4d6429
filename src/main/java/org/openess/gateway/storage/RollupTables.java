package org.openess.gateway.storage;

import static org.openess.gateway.profile.StoredColumns.SITE_ID;
import static org.openess.gateway.profile.StoredColumns.TIMESTAMP;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.openess.gateway.config.TimescaleSettings.Rollup;
import org.openess.gateway.profile.SqlType;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

/**
 * The rollups of the Apache edition, which has no continuous aggregates: the gateway keeps them
 * itself, the way a continuous aggregate with real-time aggregation works.
 * <ul>
 * <li>{@code <table>_<width>_store}: a hypertable of the materialized buckets, unique per bucket,
 * device and group index, so every refresh is an idempotent upsert;</li>
 * <li>{@code ess_rollup_state}: per rollup the watermark, the end of the materialized buckets;</li>
 * <li>{@code <table>_<width>}: a view, the materialized buckets below the watermark UNION ALL the
 * raw rows above it aggregated at query time, so readers always see the newest rows;</li>
 * <li>{@code ess_rollup_invalidations}: a statement trigger on the raw table records the time range
 * of rows inserted more than {@link #LATE_AFTER} after the statement started (a spool replayed after
 * an outage, a backfill); the refresher recomputes those buckets ({@link RollupRefresher}).</li>
 * </ul>
 */
final class RollupTables {
    static final String STATE = "ess_rollup_state";
    static final String INVALIDATIONS = "ess_rollup_invalidations";
    static final String TRIGGER = "ess_rollup_invalidate";
    static final String WATERMARK = "ess_rollup_watermark";
    /**
     * Rows older than this at their statement's start are late and recorded; newer ones are above
     * every watermark the refresher sets meanwhile (it stays this far behind the oldest write that is
     * still running).
     */
    static final Duration LATE_AFTER = Duration.ofMinutes(1);

    private RollupTables() {
    }

    /** The materialized buckets of {@code table}'s rollup {@code r}. */
    static String store(String table, Rollup r) {
        return Rollups.fit(r.viewOf(table) + "_store");
    }

    /** Bookkeeping shared by every rollup: state, invalidation log, the trigger function, the watermark function. */
    static Future<Void> setup(SqlConnection c) {
        return c.query("CREATE TABLE IF NOT EXISTS " + STATE + " (name text PRIMARY KEY, raw_table text NOT NULL, "
                + "watermark timestamptz NOT NULL)").execute()
                .compose(v -> c.query("CREATE TABLE IF NOT EXISTS " + INVALIDATIONS + " (id bigserial PRIMARY KEY, raw_table text NOT NULL, "
                        + "lo timestamptz NOT NULL, hi timestamptz NOT NULL)").execute())
                // statement_timestamp(): the refresher reads the running statements' starts from pg_stat_activity
                .compose(v -> c.query("CREATE OR REPLACE FUNCTION " + TRIGGER + "() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN "
                        + "INSERT INTO " + INVALIDATIONS + " (raw_table, lo, hi) SELECT TG_ARGV[0], min(" + Sql.quote(TIMESTAMP) + "), max("
                        + Sql.quote(TIMESTAMP) + ") FROM ess_new_rows WHERE " + Sql.quote(TIMESTAMP) + " < statement_timestamp() - "
                        + TimescaleFeatures.interval(LATE_AFTER) + " HAVING count(*) > 0; RETURN NULL; END $f$").execute())
                // not inlinable (a sub-select): a stable function call, which TimescaleDB evaluates once for chunk exclusion
                .compose(v -> c.query("CREATE OR REPLACE FUNCTION " + WATERMARK + "(text) RETURNS timestamptz LANGUAGE sql STABLE AS $f$ "
                        + "SELECT coalesce((SELECT watermark FROM " + STATE + " WHERE name = $1), '-infinity') $f$").execute())
                .mapEmpty();
    }

    /** The store of {@code r} for the table {@code s}: created, new columns added, unique key, hypertable. */
    static Future<Void> createStore(SqlConnection c, TimescaleFeatures.Shape s, Rollup r) {
        String store = Sql.quote(store(s.table(), r));
        List<String> defs = new ArrayList<>();
        List<String> groups = s.key().stream().filter(k -> !k.equals(TIMESTAMP)).toList();
        defs.add(Sql.quote(TIMESTAMP) + " timestamptz NOT NULL");
        for (String g : groups) {
            defs.add(Sql.quote(g) + " " + (g.equals(SITE_ID) ? "text" : s.columns().get(g).sql()) + " NOT NULL");
        }
        defs.add(Rollups.SAMPLES + " int8 NOT NULL");
        List<String> values = new ArrayList<>();
        for (String col : Rollups.numericColumns(s.columns(), s.key())) {
            SqlType t = s.columns().get(col);
            values.add(Sql.quote(Rollups.column(col, "min")) + " " + t.sql());
            values.add(Sql.quote(Rollups.column(col, "max")) + " " + t.sql());
            values.add(Sql.quote(Rollups.column(col, "avg")) + " float8");
        }
        List<String> all = new ArrayList<>(defs);
        all.addAll(values);
        String add = values.isEmpty() ? null : "ALTER TABLE " + store + " " + String.join(", ", values.stream()
                .map(v -> "ADD COLUMN IF NOT EXISTS " + v).toList());
        // one chunk per week of 1-minute buckets: 10,080 buckets per device and chunk at any width
        long chunkSeconds = Math.min(r.bucket().toSeconds() * 10_080, Duration.ofDays(365).toSeconds());
        return c.query("CREATE TABLE IF NOT EXISTS " + store + " (" + String.join(", ", all) + ")").execute()
                .compose(v -> add == null ? Future.succeededFuture() : c.query(add).execute().mapEmpty())
                .compose(v -> c.query("CREATE UNIQUE INDEX IF NOT EXISTS " + Sql.quote(Rollups.fit(store(s.table(), r) + "_key")) + " ON "
                        + store + " (" + String.join(", ", keyOf(s).stream().map(Sql::quote).toList()) + ")").execute())
                .compose(v -> c.query("SELECT create_hypertable(" + Sql.literal(store) + ", " + Sql.literal(TIMESTAMP)
                        + ", chunk_time_interval => INTERVAL '" + chunkSeconds + " seconds', if_not_exists => TRUE)").execute())
                .mapEmpty();
    }

    /** The store's unique key: the device, the bucket, the other key columns. */
    private static List<String> keyOf(TimescaleFeatures.Shape s) {
        List<String> key = new ArrayList<>(List.of(SITE_ID, TIMESTAMP));
        s.key().stream().filter(k -> !key.contains(k)).forEach(key::add);
        return key;
    }

    /** The rollup as readers see it: materialized buckets below the watermark, the raw rows above it aggregated now. */
    static String viewSql(TimescaleFeatures.Shape s, Rollup r, boolean replace) {
        String name = Rollups.view(s.table(), r);
        String watermark = WATERMARK + "(" + Sql.literal(name) + ")";
        String columns = String.join(", ", Rollups.columnNames(s.columns(), s.key()).stream().map(Sql::quote).toList());
        return "CREATE " + (replace ? "OR REPLACE " : "") + "VIEW " + Sql.quote(name) + " AS SELECT " + columns + " FROM "
                + Sql.quote(store(s.table(), r)) + " WHERE " + Sql.quote(TIMESTAMP) + " < " + watermark + " UNION ALL "
                + Rollups.select(s.table(), s.columns(), s.key(), r, Sql.quote(TIMESTAMP) + " >= " + watermark);
    }

    /** The raw table's trigger that records late rows; set again on every start. */
    static String triggerSql(String table) {
        return "CREATE OR REPLACE TRIGGER " + TRIGGER + " AFTER INSERT ON " + Sql.quote(table) + " REFERENCING NEW TABLE AS ess_new_rows "
                + "FOR EACH STATEMENT EXECUTE FUNCTION " + TRIGGER + "(" + Sql.literal(table) + ")";
    }

    /** Rollups switched off: late rows need no record. */
    static String dropTriggerSql(String table) {
        return "DROP TRIGGER IF EXISTS " + TRIGGER + " ON " + Sql.quote(table);
    }

    /**
     * Materializes the buckets of raw rows with time in [$1, $2) (bucket-aligned): inserted, or
     * replaced by the recomputed values, so a bucket refreshed twice is counted once.
     */
    static String upsertSql(TimescaleFeatures.Shape s, Rollup r) {
        List<String> names = Rollups.columnNames(s.columns(), s.key());
        List<String> key = keyOf(s);
        String time = Sql.quote(TIMESTAMP);
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(Sql.quote(store(s.table(), r))).append(" (")
                .append(String.join(", ", names.stream().map(Sql::quote).toList())).append(") ")
                .append(Rollups.select(s.table(), s.columns(), s.key(), r, time + " >= $1 AND " + time + " < $2"))
                .append(" ON CONFLICT (").append(String.join(", ", key.stream().map(Sql::quote).toList())).append(") DO UPDATE SET ");
        List<String> set = names.stream().filter(n -> !key.contains(n)).map(n -> Sql.quote(n) + " = EXCLUDED." + Sql.quote(n)).toList();
        return sql.append(String.join(", ", set)).toString();
    }

    /**
     * Where the refresher may materialize up to: {@link #LATE_AFTER} before the oldest start of what
     * may still commit rows (a transaction that wrote, a running statement), or before now. A row
     * above that was not recorded as late only if it commits later, and then it lies above the
     * watermark; one below it was either committed already or is recorded.
     */
    static String horizonSql() {
        return "SELECT least(clock_timestamp(), min(CASE WHEN backend_xid IS NOT NULL THEN xact_start WHEN state = 'active' "
                + "THEN query_start END)) - " + TimescaleFeatures.interval(LATE_AFTER) + " FROM pg_stat_activity WHERE datname = "
                + "current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()";
    }

    static String watermarkSql() {
        return "SELECT watermark FROM " + STATE + " WHERE name = $1";
    }

    static String oldestRowSql(String table) {
        return "SELECT min(" + Sql.quote(TIMESTAMP) + ") FROM " + Sql.quote(table);
    }

    static String setWatermarkSql() {
        return "INSERT INTO " + STATE + " (name, raw_table, watermark) VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE SET "
                + "watermark = EXCLUDED.watermark";
    }

    static String invalidationsSql() {
        return "SELECT id, lo, hi FROM " + INVALIDATIONS + " WHERE raw_table = $1 ORDER BY id";
    }

    static String deleteInvalidationsSql() {
        return "DELETE FROM " + INVALIDATIONS + " WHERE id = ANY($1)";
    }

    static String dropOldChunksSql(String store) {
        return "SELECT count(*) FROM drop_chunks(" + Sql.literal(Sql.quote(store)) + "::regclass, older_than => $1::timestamptz)";
    }

    static String deleteOldSql(String store) {
        return "DELETE FROM " + Sql.quote(store) + " WHERE " + Sql.quote(TIMESTAMP) + " < $1";
    }
}
