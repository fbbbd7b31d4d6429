package org.openess.gateway.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openess.gateway.config.TimescaleSettings;
import org.openess.gateway.decode.CycleDecoder;
import org.openess.gateway.decode.DecodedRow;
import org.openess.gateway.profile.ProfileLoader;
import org.openess.gateway.profile.TableLayout;
import org.openess.gateway.testsupport.CapturedLog;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.TestDatabase;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;

/**
 * What the schema pass adds on the project's TimescaleDB, by the edition the server reports
 * ({@code SHOW timescaledb.license}): on the community edition compression, continuous aggregates
 * and their policies; on the Apache edition (the Debian package, this machine) the rollups as
 * tables the gateway refreshes behind real-time views, and neither compression nor policies. Each
 * test asserts what its edition documents.
 */
@DbTest
class TimescaleFeaturesTest {
    static final String PROFILE = """
            name: meter
            areas: [{name: A, function: holding-registers, start: 0, count: 20}]
            tables:
              - name: meter
                constants: {BANK_ID: 1}
                group: {column: RACK_ID, count: 2, stride: 10}
                points:
                  - {column: VOLTS, address: 0, type: uint16, scale: 0.1}
                  - {column: STATE, address: 1, type: uint16}
                  - {column: FLAG, address: 2, type: bool}
            """;
    static TestDatabase db;
    static Vertx vertx;
    static Pool pool;
    static List<TableLayout> layouts;
    static SchemaManager schema;
    static String license;
    static CapturedLog LOG;

    @BeforeAll
    static void start() throws Exception {
        LOG = CapturedLog.start();
        db = TestDatabase.create("tsfeatures");
        vertx = Vertx.vertx();
        pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(db.reactiveUrl())).using(vertx).build();
        layouts = List.copyOf(CycleDecoder.layoutsOf(ProfileLoader.parse("meter.yaml", PROFILE.getBytes())).values());
        schema = new SchemaManager(true, Duration.ofDays(1), TimescaleSettings.DEFAULTS);
        await(schema.apply(pool, layouts));
        await(schema.apply(pool, layouts)); // a second start keeps what the first made
        license = (String) db.query("SELECT current_setting('timescaledb.license')").get(0).get(0);
    }

    @AfterAll
    static void stop() {
        pool.close();
        vertx.close();
        db.close();
        LOG.close();
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @Test
    void theEditionDecidesWhatIsCreated() {
        TimescaleFeatures f = schema.features();
        List<List<Object>> jobs = db.query("SELECT proc_name::text, hypertable_name::text FROM timescaledb_information.jobs "
                + "WHERE proc_name <> 'policy_job_stat_history_retention' ORDER BY 1, 2");
        if (license.equals("timescale")) {
            assertEquals(TimescaleFeatures.Edition.COMMUNITY, f.edition());
            assertEquals(2, db.count("SELECT count(*) FROM pg_class WHERE relname IN ('meter_1m', 'meter_15m') AND relkind = 'v'"));
            assertEquals(2, db.count("SELECT count(*) FROM timescaledb_information.continuous_aggregates "
                    + "WHERE view_name IN ('meter_1m', 'meter_15m') AND NOT materialized_only"));
            List<List<Object>> segments = db.query("SELECT attname::text FROM timescaledb_information.compression_settings "
                    + "WHERE hypertable_name = 'meter' AND segmentby_column_index IS NOT NULL ORDER BY segmentby_column_index");
            assertEquals(List.of(List.of("SITE_ID"), List.of("BANK_ID"), List.of("RACK_ID")), segments);
            for (String t : List.of("meter", "ess_quality", "ess_gaps", "ess_alarms")) {
                assertTrue(jobs.contains(List.of("policy_compression", t)), t + " has a compression policy: " + jobs);
            }
            assertEquals(2, jobs.stream().filter(j -> j.get(0).equals("policy_refresh_continuous_aggregate")).count(), jobs.toString());
        } else {
            assertEquals("apache", license, "the server's edition");
            assertEquals(TimescaleFeatures.Edition.APACHE, f.edition());
            // the documented fallback: rollup tables (hypertables) behind views, a trigger that records late rows, no
            // compression, no policy, said once
            assertEquals(2, db.count("SELECT count(*) FROM pg_views WHERE viewname IN ('meter_1m', 'meter_15m')"));
            assertEquals(2, db.count("SELECT count(*) FROM timescaledb_information.hypertables "
                    + "WHERE hypertable_name IN ('meter_1m_store', 'meter_15m_store')"));
            assertEquals(1, db.count("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'meter'::regclass AND tgname = 'ess_rollup_invalidate'"));
            assertEquals(0, db.count("SELECT count(*) FROM timescaledb_information.continuous_aggregates"));
            assertEquals(0, db.count("SELECT count(*) FROM timescaledb_information.compression_settings"));
            assertEquals(List.of(), jobs);
            assertEquals(1, LOG.lines().stream().filter(m -> m.contains("apache edition")).count(), LOG.lines().toString());
            assertTrue(LOG.lines().stream().noneMatch(m -> m.contains("not applied")), LOG.lines().toString());
        }
        assertEquals(List.of(new TimescaleSettings.Rollup("1m", Duration.ofMinutes(1)), new TimescaleSettings.Rollup("15m",
                Duration.ofMinutes(15))), f.rollupsOf("meter"));
        assertEquals(List.of("TIMESTAMP", "SITE_ID", "BANK_ID", "RACK_ID", "samples", "VOLTS_min", "VOLTS_max", "VOLTS_avg",
                "STATE_min", "STATE_max", "STATE_avg"), db.query("SELECT column_name::text FROM information_schema.columns "
                        + "WHERE table_name = 'meter_1m' ORDER BY ordinal_position").stream().map(r -> r.get(0)).toList());
    }

    @Test
    void rollupValuesEqualAnIndependentAggregateOfTheRawRows() throws Exception {
        long base = (System.currentTimeMillis() / 900_000 - 3 * 96) * 900_000; // three days ago, a whole quarter hour (UTC)
        List<DecodedRow> rows = new ArrayList<>();
        for (int s = 0; s < 1800; s += 7) { // half an hour, every 7 s, two racks, one NULL now and then
            for (int rack = 1; rack <= 2; rack++) {
                DecodedRow r = new DecodedRow(layouts.get(0), "agg", base + s * 1000L);
                r.setLong(0, 1);
                r.setLong(1, rack);
                if (s % 5 == 0) {
                    r.setNull(2);
                } else {
                    r.setDouble(2, 700 + Math.sin(s / 60.0) * 50 + rack);
                }
                r.setLong(3, (s / 7) % 4);
                r.setNull(4);
                rows.add(r);
            }
        }
        insert(rows);
        refresh();
        for (String[] width : new String[][] { { "1m", "60" }, { "15m", "900" } }) {
            String fromRollup = "SELECT extract(epoch FROM \"TIMESTAMP\")::int8, \"RACK_ID\", samples, \"VOLTS_min\", \"VOLTS_max\", "
                    + "round(\"VOLTS_avg\"::numeric, 9), \"STATE_min\", \"STATE_max\", round(\"STATE_avg\"::numeric, 9) FROM meter_" + width[0]
                    + " WHERE \"SITE_ID\" = 'agg' ORDER BY 1, 2";
            // independently: epoch arithmetic instead of time_bucket
            String fromRaw = "SELECT (floor(extract(epoch FROM \"TIMESTAMP\") / " + width[1] + ") * " + width[1] + ")::int8 b, \"RACK_ID\", "
                    + "count(*), min(\"VOLTS\"), max(\"VOLTS\"), round(avg(\"VOLTS\")::numeric, 9), min(\"STATE\"), max(\"STATE\"), "
                    + "round(avg(\"STATE\")::numeric, 9) FROM meter WHERE \"SITE_ID\" = 'agg' GROUP BY 1, 2 ORDER BY 1, 2";
            List<List<Object>> expected = db.query(fromRaw);
            assertEquals(width[0].equals("1m") ? 60 : 4, expected.size());
            assertEquals(expected.toString(), db.query(fromRollup).toString(), width[0]);
            if (license.equals("apache")) {
                // materialized, not computed at query time: the table behind the view holds the same buckets
                assertEquals(expected.toString(), db.query(fromRollup.replace("FROM meter_" + width[0], "FROM meter_" + width[0] + "_store"))
                        .toString(), width[0] + " store");
            }
        }
    }

    @Test
    void aLateRowOlderThanTheWatermarkChangesExactlyItsBucketsOnce() throws Exception {
        long base = (System.currentTimeMillis() / 900_000 - 96) * 900_000; // a day ago, a whole quarter hour
        List<DecodedRow> rows = new ArrayList<>();
        for (int s = 0; s < 3600; s += 10) {
            rows.add(row("wm", base + s * 1000L, 1, 700 + s % 37));
            rows.add(row("wm", base + s * 1000L, 2, 600 + s % 29));
        }
        insert(rows);
        refresh();
        String state = "SELECT count(*) FROM ess_rollup_state WHERE watermark > to_timestamp(" + (base / 1000 + 3600) + ")";
        if (license.equals("apache")) {
            assertEquals(2, db.count(state), "both rollups materialized past the rows");
        }
        List<List<Object>> before1m = buckets("1m");
        List<List<Object>> before15m = buckets("15m");
        // replayed from the spool after the watermark passed: a second nobody wrote yet, in the 1m bucket base+120 s of rack 1
        insert(List.of(row("wm", base + 125_000, 1, 10_000)));
        refresh();
        refresh();
        List<List<Object>> after1m = buckets("1m");
        List<List<Object>> after15m = buckets("15m");
        assertEquals(before1m.size(), after1m.size());
        assertEquals(before15m.size(), after15m.size());
        List<Integer> changed1m = changed(before1m, after1m);
        List<Integer> changed15m = changed(before15m, after15m);
        assertEquals(1, changed1m.size(), "one 1m bucket changed: " + after1m);
        assertEquals(1, changed15m.size(), "one 15m bucket changed: " + after15m);
        List<Object> b1 = after1m.get(changed1m.get(0));
        List<Object> b15 = after15m.get(changed15m.get(0));
        assertEquals(List.of(base / 1000 + 120, 1, 7L, 10_000.0), b1.subList(0, 4), "bucket, rack, samples (6 + 1), max");
        assertEquals(List.of(base / 1000, 1, 91L, 10_000.0), b15.subList(0, 4), "bucket, rack, samples (90 + 1), max");
        assertEquals(((Number) before1m.get(changed1m.get(0)).get(2)).longValue() + 1, ((Number) b1.get(2)).longValue());
        // and still exactly the raw rows' aggregate
        assertEquals(db.query("SELECT (floor(extract(epoch FROM \"TIMESTAMP\") / 60) * 60)::int8, \"RACK_ID\", count(*), max(\"VOLTS\"), "
                + "round(avg(\"VOLTS\")::numeric, 9) FROM meter WHERE \"SITE_ID\" = 'wm' GROUP BY 1, 2 ORDER BY 1, 2").toString(),
                after1m.stream().map(r -> List.of(r.get(0), r.get(1), r.get(2), r.get(3), r.get(4))).toList().toString());
        if (license.equals("apache")) {
            assertEquals(0, db.count("SELECT count(*) FROM ess_rollup_invalidations"), "every late range handled");
            assertEquals(2, db.count(state));
        }
    }

    @Test
    void retainRollupsDropsOldBucketsAndDroppingRawRowsKeepsThem() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(license.equals("apache"), "the gateway's own rollup tables are the Apache edition's");
        long now = System.currentTimeMillis() / 60_000 * 60_000;
        long old = now - 20 * 86_400_000L;
        long recent = now - 2 * 86_400_000L;
        insert(List.of(row("keep", old, 1, 1), row("keep", old + 1000, 1, 3), row("keep", recent, 1, 5), row("keep", recent + 1000, 1, 7)));
        refresh();
        String count = "SELECT count(*) FROM meter_1m_store WHERE \"SITE_ID\" = 'keep'";
        assertEquals(2, db.count(count), "both minutes materialized");
        // the nightly retention of raw rows deletes the recent day's rows: the rollup keeps their bucket
        db.execute("DELETE FROM meter WHERE \"SITE_ID\" = 'keep' AND \"TIMESTAMP\" >= to_timestamp(" + recent / 1000 + ")");
        refresh();
        assertEquals(2, db.count(count));
        assertEquals(List.of(List.of(2L, 6.0)), db.query("SELECT samples, \"VOLTS_avg\" FROM meter_1m WHERE \"SITE_ID\" = 'keep' "
                + "AND \"TIMESTAMP\" = to_timestamp(" + recent / 1000 + ")"));
        // ess.timescale.retain-rollups=10d: a refresher of a gateway with that key drops the 20 days old bucket only
        SchemaManager keeping = new SchemaManager(true, Duration.ofDays(1), TimescaleSettings.of("2d", "1m,15m", "off", "10d"));
        await(keeping.apply(pool, layouts));
        await(new RollupRefresher(pool, keeping.features()).refresh());
        assertEquals(List.of(List.of(recent / 1000)), db.query("SELECT extract(epoch FROM \"TIMESTAMP\")::int8 FROM meter_1m_store "
                + "WHERE \"SITE_ID\" = 'keep'"));
        assertEquals(1, db.count("SELECT count(*) FROM meter_15m_store WHERE \"SITE_ID\" = 'keep'"));
    }

    /** The rollup's buckets of the site 'wm' (the materialized table on the Apache edition): bucket, rack, samples, max, avg. */
    private static List<List<Object>> buckets(String width) {
        String from = license.equals("apache") ? "meter_" + width + "_store" : "meter_" + width;
        return db.query("SELECT extract(epoch FROM \"TIMESTAMP\")::int8, \"RACK_ID\", samples, \"VOLTS_max\", round(\"VOLTS_avg\"::numeric, 9) "
                + "FROM " + from + " WHERE \"SITE_ID\" = 'wm' ORDER BY 1, 2");
    }

    private static List<Integer> changed(List<List<Object>> before, List<List<Object>> after) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < after.size(); i++) {
            if (!after.get(i).toString().equals(before.get(i).toString())) {
                out.add(i);
            }
        }
        return out;
    }

    /** One refresh as the server does it: the gateway's refresher (Apache edition), or the continuous aggregates' own. */
    private static void refresh() throws Exception {
        if (license.equals("timescale")) {
            db.execute("CALL refresh_continuous_aggregate('meter_1m', NULL, NULL)");
            db.execute("CALL refresh_continuous_aggregate('meter_15m', NULL, NULL)");
        } else {
            await(new RollupRefresher(pool, schema.features()).refresh());
        }
    }

    @Test
    void aLateReplayedRowIsStoredExactlyOnce() throws Exception {
        long old = (System.currentTimeMillis() / 1000 - 5 * 86400) * 1000; // five days ago: past compress-after
        DecodedRow first = row("late", old, 1, 1.5);
        insert(List.of(first));
        boolean compressed = false;
        if (license.equals("timescale")) {
            db.query("SELECT compress_chunk(c) FROM show_chunks('meter', older_than => now() - INTERVAL '3 days') c");
            compressed = db.count("SELECT count(*) FROM timescaledb_information.chunks WHERE hypertable_name = 'meter' "
                    + "AND is_compressed") > 0;
            assertTrue(compressed, "the old chunk is compressed");
        } else {
            // the Apache edition has no columnstore: the chunk stays a row store, as documented
            IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> db.query("SELECT compress_chunk(c) FROM show_chunks('meter') c"));
            assertTrue(refused.getMessage().contains("apache"), refused.getMessage());
        }
        // the spool replays the same tick after an outage, with a neighbour that is new
        insert(List.of(row("late", old, 1, 1.5), row("late", old + 1000, 1, 2.5)));
        insert(List.of(row("late", old, 1, 1.5)));
        assertEquals(List.of(List.of(1L, 1.5), List.of(1L, 2.5)), db.query("SELECT count(*) OVER (PARTITION BY \"TIMESTAMP\"), "
                + "\"VOLTS\" FROM meter WHERE \"SITE_ID\" = 'late' ORDER BY \"TIMESTAMP\""));
        refresh();
        refresh();
        assertEquals(2, db.count("SELECT sum(samples) FROM meter_1m WHERE \"SITE_ID\" = 'late'"));
    }

    private static DecodedRow row(String site, long tick, int rack, double volts) {
        DecodedRow r = new DecodedRow(layouts.get(0), site, tick);
        r.setLong(0, 1);
        r.setLong(1, rack);
        r.setDouble(2, volts);
        r.setNull(3);
        r.setNull(4);
        return r;
    }

    private static void insert(List<DecodedRow> rows) throws Exception {
        TableLayout layout = layouts.get(0);
        await(pool.preparedQuery(InsertStatements.rowsSql(layout)).execute(InsertStatements.rowsTuple(layout, rows)));
    }
}
