package org.openess.gateway.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openess.gateway.testsupport.Await.until;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openess.gateway.storage.Storage;
import org.openess.gateway.simulator.EmbeddedSimulator;
import org.openess.gateway.acquisition.Acquisition;
import org.openess.gateway.service.GatewayService;
import org.openess.gateway.acquisition.DeviceStats;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.decode.DecodedRow;
import org.openess.gateway.profile.FunctionCode;
import org.openess.gateway.profile.TableLayout;
import org.openess.gateway.storage.RowWriter;
import org.openess.gateway.simulator.SimulatorServer;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.Operation1Oracle;
import org.openess.gateway.testsupport.Provisioned;
import org.openess.gateway.testsupport.SimulatedSite;
import org.openess.gateway.testsupport.TestDatabase;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The whole pipeline over real loopback Modbus TCP into a real TimescaleDB: two simulated
 * operation1 devices, a device whose port is closed, and a device whose profile has an area the
 * simulator does not serve. Values are checked against what the simulator actually sent, decoded
 * by an independent reading of the reference CSV. Each test passes on its own and in any order: the
 * gateway is (re)started before each one that finds it stopped, each looks only at ticks from its
 * own time, and a test that slows the simulator waits until it is back to normal.
 */
@QuarkusTest
@SimulatedSite(database = "e2e", simulatedDevices = 2, devices = { "site-a=0", "site-b=1", "site-down=closed", "site-x=1" },
        // site-x: operation1 plus a table in an area (registers 1000-1009) that the simulator does not serve
        profiles = "site-x=unserved-area",
        config = { "ess.simulator.glitch-every=3", "ess.modbus.reconnect-min=100ms", "ess.modbus.reconnect-max=400ms" })
@DbTest
class PipelineEndToEndTest {
    static final String[] TABLES = { "bank", "rack", "pcs", "etc" };

    @Inject
    GatewayService gateway;
    @Inject
    Acquisition acquisition;
    @Inject
    EmbeddedSimulator simulator;
    @Inject
    Storage storage;
    @Provisioned
    TestDatabase db;

    static final SimulatorServer.ServedLog SERVED = new SimulatorServer.ServedLog(20_000);
    /** Wall-clock millis from which the served log covers whole ticks (set at each start). */
    static volatile long servedSince;
    /** When the current test began: it looks at ticks from here on only. */
    long testStart;

    @BeforeEach
    void gatewayRunning() {
        if (!gateway.isRunning()) {
            gateway.start();
            simulator.server().recordServed(SERVED);
            servedSince = System.currentTimeMillis();
        }
        testStart = System.currentTimeMillis();
    }

    @Test
    void everyTickHasElevenRowsPerDeviceWithTheServedValues() {
        // ticks that began after the served log was attached, the last one possibly still being written left out
        // (and from this test's start: another test slows the simulator down, its slow cycles are not compared)
        long since = Math.max(servedSince, testStart);
        until(Duration.ofSeconds(30), () -> ticksSince(db, "site-a", since).size() >= 5);

        // hypertables, because the server has TimescaleDB
        List<Object> hypertables = db.query("SELECT hypertable_name FROM timescaledb_information.hypertables").stream()
                .map(r -> r.get(0)).toList();
        assertTrue(hypertables.containsAll(List.of("bank", "rack", "pcs", "etc", "ess_quality", "ess_gaps")), hypertables.toString());

        List<Long> ticks = ticksSince(db, "site-a", since);
        List<Long> checked = ticks.subList(Math.max(0, ticks.size() - 5), ticks.size() - 1);
        assertTrue(checked.size() >= 3, "ticks: " + ticks);
        Operation1Oracle oracle = Operation1Oracle.load();
        List<SimulatorServer.Served> served = SERVED.snapshot();
        int compared = 0;
        for (long tick : checked) {
            for (String site : List.of("site-a", "site-b")) {
                int device = site.equals("site-a") ? 0 : 1;
                assertEquals(1, db.count(countAt("bank", site, tick)), site + " bank rows at " + tick);
                assertEquals(8, db.count(countAt("rack", site, tick)), site + " rack rows at " + tick);
                assertEquals(1, db.count(countAt("pcs", site, tick)), site + " pcs rows at " + tick);
                assertEquals(1, db.count(countAt("etc", site, tick)), site + " etc rows at " + tick);
                Map<Integer, Integer> registers = servedDuring(served, device, tick);
                compared += compareRow(db, oracle, "bank", null, site, tick, registers);
                for (int rack = 1; rack <= 8; rack++) {
                    compared += compareRow(db, oracle, "rack", rack, site, tick, registers);
                }
                compared += compareRow(db, oracle, "pcs", null, site, tick, registers);
                compared += compareRow(db, oracle, "etc", null, site, tick, registers);
            }
        }
        assertTrue(compared >= checked.size() * 2 * 496, "values compared: " + compared);
    }

    @Test
    void outOfRangeValuesAreNullWithAQualityRecord() {
        // the simulator serves 4 in RACK_TEMPERATURE_IMBALANCE_WARNING (range 0..3) every 3 s
        until(Duration.ofSeconds(10), () -> db.count("SELECT count(*) FROM ess_quality WHERE site_id = 'site-a'") >= 1);
        List<List<Object>> q = db.query("SELECT ts, table_name, column_name, raw_registers::text, decoded_value, rule "
                + "FROM ess_quality WHERE site_id = 'site-a' ORDER BY ts LIMIT 1");
        List<Object> first = q.get(0);
        assertEquals("bank", first.get(1));
        assertEquals("RACK_TEMPERATURE_IMBALANCE_WARNING", first.get(2));
        assertEquals("{4}", first.get(3));
        assertEquals(4.0, ((Number) first.get(4)).doubleValue());
        assertEquals("max 3", first.get(5));
        Timestamp ts = (Timestamp) first.get(0);
        assertEquals(1, db.count("SELECT count(*) FROM bank WHERE \"SITE_ID\" = 'site-a' AND \"TIMESTAMP\" = '"
                + ts.toInstant() + "' AND \"RACK_TEMPERATURE_IMBALANCE_WARNING\" IS NULL"));
    }

    @Test
    void aDeviceThatIsDownOnlyLeavesGapsOfItsOwn() {
        until(Duration.ofSeconds(10), () -> db.count("SELECT count(*) FROM ess_gaps WHERE site_id = 'site-down'") >= 8
                && ticksSince(db, "site-a", testStart).size() >= 2 && ticksSince(db, "site-b", testStart).size() >= 2);
        assertEquals(0, db.count("SELECT count(*) FROM bank WHERE \"SITE_ID\" = 'site-down'"));
        List<Object> reasons = db.query("SELECT DISTINCT reason FROM ess_gaps WHERE site_id = 'site-down' AND table_name = 'rack'")
                .stream().map(r -> r.get(0)).toList();
        // before its connect was refused (its start offset), its ticks were missed while connecting
        assertTrue(reasons.stream().allMatch(r -> r.toString().contains("not connected to 127.0.0.1")
                || r.toString().startsWith("tick missed: connecting to 127.0.0.1:")), reasons.toString());
        assertTrue(reasons.stream().anyMatch(r -> r.toString().contains("not connected to 127.0.0.1")), reasons.toString());
        assertEquals(8L, db.count("SELECT max(missing_rows) FROM ess_gaps WHERE site_id = 'site-down' AND table_name = 'rack'"));
        // the healthy devices did not lose a tick while it was down
        for (String site : List.of("site-a", "site-b")) {
            List<Long> ticks = ticksSince(db, site, testStart);
            for (int i = 1; i < ticks.size(); i++) {
                assertEquals(1000L, ticks.get(i) - ticks.get(i - 1), site + " ticks " + ticks);
            }
        }
        DeviceStats down = acquisition.device("site-down").counters();
        assertTrue(!down.connected() && down.readsOk() == 0 && down.readsFailed() > 0);
    }

    @Test
    void aModbusExceptionOnOneReadKeepsTheOtherTables() {
        // from this test's start: site-x shares a simulated device with site-b, which another test slows down
        String since = "site_id = 'site-x' AND ts >= to_timestamp(" + testStart + " / 1000.0)";
        until(Duration.ofSeconds(10), () -> db.count("SELECT count(*) FROM ess_gaps WHERE " + since) >= 2);
        List<Object> reasons = db.query("SELECT DISTINCT table_name || ': ' || reason FROM ess_gaps WHERE " + since)
                .stream().map(r -> r.get(0)).toList();
        assertEquals(List.of("extra: read fc4 1000+1: device answered exception 2 (illegal data address)"), reasons);
        long gapTicks = db.count("SELECT count(*) FROM ess_gaps WHERE " + since);
        long rackTicks = db.count("SELECT count(DISTINCT \"TIMESTAMP\") FROM rack WHERE \"SITE_ID\" = 'site-x' "
                + "AND \"TIMESTAMP\" >= to_timestamp(" + testStart + " / 1000.0)");
        assertTrue(rackTicks >= gapTicks - 1, "rack ticks " + rackTicks + " vs extra gaps " + gapTicks);
        assertEquals(0, db.count("SELECT count(*) FROM extra"));
    }

    @Test
    void statusApiReportsEachDevice() {
        given().when().get("/api/status").then().statusCode(200)
                .body("running", org.hamcrest.Matchers.is(true))
                .body("devices.id", hasItems("site-a", "site-b", "site-down", "site-x"))
                .body("devices.find { it.id == 'site-a' }.connected", org.hamcrest.Matchers.is(true))
                .body("devices.find { it.id == 'site-down' }.connected", org.hamcrest.Matchers.is(false))
                .body("devices.find { it.id == 'site-down' }.lastError", org.hamcrest.Matchers.containsString("not connected"))
                // the device state model: ok / degraded (answers, some reads fail) / offline (no answer)
                .body("devices.find { it.id == 'site-a' }.health.state", org.hamcrest.Matchers.is("ok"))
                .body("devices.find { it.id == 'site-a' }.health.consecutiveFailedCycles", org.hamcrest.Matchers.is(0))
                .body("devices.find { it.id == 'site-a' }.health.lastSuccessfulRead", org.hamcrest.Matchers.notNullValue())
                .body("devices.find { it.id == 'site-down' }.health.state", org.hamcrest.Matchers.is("offline"))
                .body("devices.find { it.id == 'site-down' }.health.lastErrorKind", org.hamcrest.Matchers.is("not-connected"))
                .body("devices.find { it.id == 'site-down' }.health.lastSuccessfulRead", org.hamcrest.Matchers.nullValue())
                .body("devices.find { it.id == 'site-x' }.health.state", org.hamcrest.Matchers.is("degraded"))
                .body("devices.find { it.id == 'site-x' }.health.lastErrorKind", org.hamcrest.Matchers.is("exception-response"))
                .body("devices.find { it.id == 'site-x' }.health.lastExceptionCode", org.hamcrest.Matchers.is(2))
                .body("totals.offline", org.hamcrest.Matchers.is(1))
                .body("writer.hypertables", org.hamcrest.Matchers.is(true))
                .body("writer.rowsDropped", org.hamcrest.Matchers.is(0));
    }

    @Test
    void aSlowDeviceMissesTicksWithoutPilingUp() {
        DeviceStats b = acquisition.device("site-b").counters();
        long missedBefore = b.ticksMissed();
        // 7 sequential reads of 300 ms each: a cycle takes ~2.1 s, so every other tick or two is missed
        simulator.server().setResponseDelayMillis(300);
        try {
            until(Duration.ofSeconds(15), () -> b.ticksMissed() >= missedBefore + 3);
        } finally {
            simulator.server().setResponseDelayMillis(0);
        }
        // back to normal before the next test: a whole tick of site-b begun after the slow answers ended
        long normal = System.currentTimeMillis() + 1000;
        until(Duration.ofSeconds(10), () -> ticksSince(db, "site-b", normal).size() >= 1 && ticksSince(db, "site-x", normal).size() >= 1);
        until(Duration.ofSeconds(10), () -> db.count("SELECT count(*) FROM ess_gaps WHERE site_id = 'site-b' "
                + "AND reason LIKE 'tick missed: the previous cycle was still running'") >= 3 * 4);
        // ticks with rows are still whole seconds and each has all its rows: no tick was split or doubled
        assertEquals(0, db.count("SELECT count(*) FROM (SELECT \"TIMESTAMP\" FROM rack WHERE \"SITE_ID\" = 'site-b' "
                + "GROUP BY 1 HAVING count(*) <> 8) x"));
        assertEquals(0, db.count("SELECT count(*) FROM rack WHERE \"SITE_ID\" = 'site-b' "
                + "AND extract(milliseconds FROM \"TIMESTAMP\")::int % 1000 <> 0"));
    }

    @Test
    void aRestartAndAReplayedTickDoNotDuplicateRows() {
        until(Duration.ofSeconds(10), () -> ticksSince(db, "site-a", testStart).size() >= 2);
        gateway.stop(Duration.ofSeconds(10));
        assertEquals(0, storage.writer().buffer().size(), "rows left unwritten at stop");
        long before = db.count("SELECT count(*) FROM rack");
        long lastTick = ticksSince(db, "site-a", 0).get(ticksSince(db, "site-a", 0).size() - 1);
        gatewayRunning();
        until(Duration.ofSeconds(20), () -> db.count("SELECT count(*) FROM rack") >= before + 8 * 3 * 2);

        // the last tick stored before the stop goes through the writer a second time, row for row,
        // as when a commit's answer is lost and the batch is sent again
        RowWriter writer = storage.writer();
        List<DecodedRow> replay = new ArrayList<>();
        for (String table : TABLES) {
            replay.addAll(storedRows(db, layout(table), "site-a", lastTick));
        }
        assertEquals(11, replay.size());
        long rowsBefore = totalRows(db);
        long duplicatesBefore = writer.stats().rowsDuplicate();
        writer.accept(new CycleOutput("site-a", lastTick, replay, List.of(), List.of()));
        until(Duration.ofSeconds(10), () -> writer.stats().rowsDuplicate() >= duplicatesBefore + replay.size());
        assertEquals(duplicatesBefore + replay.size(), writer.stats().rowsDuplicate());
        for (String table : TABLES) {
            assertEquals(table.equals("rack") ? 8 : 1, db.count(countAt(table, "site-a", lastTick)), table + " rows at the replayed tick");
        }
        assertTrue(totalRows(db) >= rowsBefore, "no row lost");
        for (String table : TABLES) {
            // one statement: the gateway keeps inserting while this runs
            String key = table.equals("rack") ? "\"SITE_ID\", \"TIMESTAMP\", \"BANK_ID\", \"RACK_ID\"" : "\"SITE_ID\", \"TIMESTAMP\", \"BANK_ID\"";
            assertEquals(0, db.count("SELECT count(*) - count(DISTINCT (" + key + ")) FROM " + table), table + " has duplicate keys");
        }
    }

    private TableLayout layout(String table) {
        return gateway.catalog().layouts().stream().filter(l -> l.table().equals(table) && l.profile().equals("builtin:operation1"))
                .findFirst().orElseThrow();
    }

    private static long totalRows(TestDatabase db) {
        long n = 0;
        for (String table : TABLES) {
            n += db.count("SELECT count(*) FROM " + table);
        }
        return n;
    }

    /** The rows of one tick as the decoder would have produced them, read back from the table. */
    private static List<DecodedRow> storedRows(TestDatabase db, TableLayout layout, String site, long tick) {
        List<String> columns = layout.columns().stream().map(c -> "\"" + c.name() + "\"").toList();
        List<DecodedRow> rows = new ArrayList<>();
        for (List<Object> values : db.query("SELECT " + String.join(", ", columns) + " FROM " + layout.table() + " WHERE \"SITE_ID\" = '"
                + site + "' AND \"TIMESTAMP\" = to_timestamp(" + tick + " / 1000.0)")) {
            DecodedRow row = new DecodedRow(layout, site, tick);
            for (int i = 0; i < values.size(); i++) {
                Object v = values.get(i);
                if (v == null) {
                    row.setNull(i);
                } else if (v instanceof Boolean b) {
                    row.setLong(i, b ? 1 : 0);
                } else if (layout.columns().get(i).type() == org.openess.gateway.profile.SqlType.FLOAT8) {
                    row.setDouble(i, ((Number) v).doubleValue());
                } else {
                    row.setLong(i, ((Number) v).longValue());
                }
            }
            rows.add(row);
        }
        return rows;
    }

    private static String countAt(String table, String site, long tick) {
        return "SELECT count(*) FROM " + table + " WHERE \"SITE_ID\" = '" + site + "' AND \"TIMESTAMP\" = to_timestamp(" + tick
                + " / 1000.0)";
    }

    /** Ticks of {@code site} (from its bank rows) that began at or after {@code sinceMillis}. */
    private static List<Long> ticksSince(TestDatabase db, String site, long sinceMillis) {
        return db.query("SELECT (extract(epoch FROM \"TIMESTAMP\") * 1000)::bigint FROM bank WHERE \"SITE_ID\" = '" + site
                + "' AND \"TIMESTAMP\" >= to_timestamp(" + sinceMillis + " / 1000.0) ORDER BY 1").stream()
                .map(r -> ((Number) r.get(0)).longValue()).toList();
    }

    /** Input registers the simulator sent device {@code device} during the cycle of {@code tick}. */
    private static Map<Integer, Integer> servedDuring(List<SimulatorServer.Served> served, int device, long tick) {
        Map<Integer, Integer> registers = new HashMap<>();
        for (SimulatorServer.Served s : served) {
            if (s.device() == device && s.function() == FunctionCode.INPUT_REGISTERS && s.atMillis() >= tick
                    && s.atMillis() < tick + 1000) {
                for (int i = 0; i < s.values().length; i++) {
                    registers.put(s.start() + i, s.values()[i]);
                }
            }
        }
        return registers;
    }

    private static int compareRow(TestDatabase db, Operation1Oracle oracle, String table, Integer rack, String site, long tick,
            Map<Integer, Integer> registers) {
        Map<String, Object> expected = oracle.expectedRow(table, rack, registers);
        List<String> columns = new ArrayList<>(expected.keySet());
        String select = "SELECT " + String.join(", ", columns.stream().map(c -> "\"" + c + "\"").toList()) + " FROM " + table
                + " WHERE \"SITE_ID\" = '" + site + "' AND \"TIMESTAMP\" = to_timestamp(" + tick + " / 1000.0)"
                + (rack == null ? "" : " AND \"RACK_ID\" = " + rack);
        List<List<Object>> rows = db.query(select);
        assertEquals(1, rows.size(), select);
        List<Object> actual = rows.get(0);
        for (int i = 0; i < columns.size(); i++) {
            Object e = expected.get(columns.get(i));
            Object a = actual.get(i);
            String where = site + " " + table + (rack == null ? "" : " rack " + rack) + " " + columns.get(i) + " at " + tick;
            if (e == null || a == null) {
                assertEquals(e, a, where);
            } else if (e instanceof Double d) {
                assertEquals(d, ((Number) a).doubleValue(), Math.abs(d) * 1e-12 + 1e-12, where);
            } else {
                assertEquals(e, a, where);
            }
        }
        return columns.size();
    }
}
