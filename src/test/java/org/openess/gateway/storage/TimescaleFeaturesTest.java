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
 * views and neither compression nor policies. Each test asserts what its edition documents.
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
            // the documented fallback: rollups as plain views, no compression, no policy, said once
            assertEquals(2, db.count("SELECT count(*) FROM pg_views WHERE viewname IN ('meter_1m', 'meter_15m')"));
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
        long base = 1_800_000_000_000L; // a whole minute (UTC)
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
