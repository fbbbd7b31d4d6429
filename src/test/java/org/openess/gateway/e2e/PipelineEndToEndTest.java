package org.openess.gateway.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openess.gateway.GatewayService;
import org.openess.gateway.acquisition.DeviceStats;
import org.openess.gateway.profile.FunctionCode;
import org.openess.gateway.simulator.SimulatorServer;
import org.openess.gateway.testsupport.FreePorts;
import org.openess.gateway.testsupport.Operation1Oracle;
import org.openess.gateway.testsupport.TestDatabase;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The whole pipeline over real loopback Modbus TCP into a real TimescaleDB: two simulated
 * operation1 devices, a device whose port is closed, and a device whose profile has an area the
 * simulator does not serve. Values are checked against what the simulator actually sent, decoded
 * by an independent reading of the reference CSV.
 */
@QuarkusTest
@QuarkusTestResource(value = PipelineEndToEndTest.Resource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineEndToEndTest {
    static final String[] TABLES = { "bank", "rack", "pcs", "etc" };

    public static class Resource implements QuarkusTestResourceLifecycleManager {
        static TestDatabase db;
        static int basePort;

        @Override
        public Map<String, String> start() {
            db = TestDatabase.create("e2e");
            basePort = FreePorts.consecutive(2);
            int closedPort = FreePorts.one();
            Map<String, String> c = new HashMap<>(db.quarkusConfig());
            c.put("ess.simulator.enabled", "true");
            c.put("ess.simulator.devices", "2");
            c.put("ess.simulator.base-port", Integer.toString(basePort));
            c.put("ess.simulator.glitch-every", "3");
            c.put("ess.devices.site-a.host", "127.0.0.1");
            c.put("ess.devices.site-a.port", Integer.toString(basePort));
            c.put("ess.devices.site-b.host", "127.0.0.1");
            c.put("ess.devices.site-b.port", Integer.toString(basePort + 1));
            c.put("ess.devices.site-down.host", "127.0.0.1");
            c.put("ess.devices.site-down.port", Integer.toString(closedPort));
            c.put("ess.devices.site-x.host", "127.0.0.1");
            c.put("ess.devices.site-x.port", Integer.toString(basePort + 1));
            c.put("ess.devices.site-x.profile", extendedProfile().toString());
            c.put("ess.modbus.reconnect-min", "100ms");
            c.put("ess.modbus.reconnect-max", "400ms");
            return c;
        }

        /** operation1 plus a table in an area (registers 1000-1009) that the simulator does not serve. */
        private static Path extendedProfile() {
            try (InputStream in = Resource.class.getResourceAsStream("/profiles/operation1.yaml")) {
                String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                yaml = yaml.replace("areas:\n", "areas:\n  - {name: EXTRA, function: input-registers, start: 1000, count: 10}\n");
                yaml += "  - name: extra\n    points:\n      - {column: EXTRA_VALUE, address: 1000, type: uint16}\n";
                Path file = Files.createTempFile("operation1-extra", ".yaml");
                Files.writeString(file, yaml);
                return file;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void stop() {
            db.close();
        }
    }

    @Inject
    GatewayService gateway;

    static final SimulatorServer.ServedLog SERVED = new SimulatorServer.ServedLog(20_000);

    @AfterAll
    static void stopGateway() {
        // the Quarkus app (and with it the gateway) stops after the class; nothing to do here
    }

    @Test
    @Order(1)
    void everyTickHasElevenRowsPerDeviceWithTheServedValues() {
        gateway.start();
        gateway.simulator().recordServed(SERVED);
        TestDatabase db = Resource.db;
        waitFor(Duration.ofSeconds(30), () -> db.count("SELECT count(DISTINCT \"TIMESTAMP\") FROM bank WHERE \"SITE_ID\" = 'site-a'") >= 6);

        // hypertables, because the server has TimescaleDB
        List<Object> hypertables = db.query("SELECT hypertable_name FROM timescaledb_information.hypertables").stream()
                .map(r -> r.get(0)).toList();
        assertTrue(hypertables.containsAll(List.of("bank", "rack", "pcs", "etc", "ess_quality", "ess_gaps")), hypertables.toString());

        // compare ticks well inside the window: the first ones may predate the served log
        List<Long> ticks = ticks(db, "site-a");
        List<Long> checked = ticks.subList(2, ticks.size() - 1);
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
    @Order(2)
    void outOfRangeValuesAreNullWithAQualityRecord() {
        TestDatabase db = Resource.db;
        // the simulator serves 4 in RACK_TEMPERATURE_IMBALANCE_WARNING (range 0..3) every 3 s
        waitFor(Duration.ofSeconds(10), () -> db.count("SELECT count(*) FROM ess_quality WHERE site_id = 'site-a'") >= 1);
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
    @Order(3)
    void aDeviceThatIsDownOnlyLeavesGapsOfItsOwn() {
        TestDatabase db = Resource.db;
        waitFor(Duration.ofSeconds(10), () -> db.count("SELECT count(*) FROM ess_gaps WHERE site_id = 'site-down'") >= 8);
        assertEquals(0, db.count("SELECT count(*) FROM bank WHERE \"SITE_ID\" = 'site-down'"));
        List<Object> reasons = db.query("SELECT DISTINCT reason FROM ess_gaps WHERE site_id = 'site-down' AND table_name = 'rack'")
                .stream().map(r -> r.get(0)).toList();
        assertTrue(reasons.stream().allMatch(r -> r.toString().contains("not connected to 127.0.0.1")), reasons.toString());
        assertEquals(8L, db.count("SELECT max(missing_rows) FROM ess_gaps WHERE site_id = 'site-down' AND table_name = 'rack'"));
        // the healthy devices did not lose a tick while it was down
        for (String site : List.of("site-a", "site-b")) {
            List<Long> ticks = ticks(db, site);
            for (int i = 1; i < ticks.size(); i++) {
                assertEquals(1000L, ticks.get(i) - ticks.get(i - 1), site + " ticks " + ticks);
            }
        }
        DeviceStats down = gateway.pollers().get("site-down").stats();
        assertTrue(!down.connected && down.readsOk.get() == 0 && down.readsFailed.get() > 0);
    }

    @Test
    @Order(4)
    void aModbusExceptionOnOneReadKeepsTheOtherTables() {
        TestDatabase db = Resource.db;
        waitFor(Duration.ofSeconds(10), () -> db.count("SELECT count(*) FROM ess_gaps WHERE site_id = 'site-x'") >= 3);
        List<Object> reasons = db.query("SELECT DISTINCT table_name || ': ' || reason FROM ess_gaps WHERE site_id = 'site-x'")
                .stream().map(r -> r.get(0)).toList();
        assertEquals(List.of("extra: read fc4 1000+1: device answered exception 2 (illegal data address)"), reasons);
        long gapTicks = db.count("SELECT count(*) FROM ess_gaps WHERE site_id = 'site-x'");
        long rackTicks = db.count("SELECT count(DISTINCT \"TIMESTAMP\") FROM rack WHERE \"SITE_ID\" = 'site-x'");
        assertTrue(rackTicks >= gapTicks - 1, "rack ticks " + rackTicks + " vs extra gaps " + gapTicks);
        assertEquals(0, db.count("SELECT count(*) FROM extra"));
    }

    @Test
    @Order(5)
    void statusApiReportsEachDevice() {
        given().when().get("/api/status").then().statusCode(200)
                .body("running", org.hamcrest.Matchers.is(true))
                .body("devices.id", hasItems("site-a", "site-b", "site-down", "site-x"))
                .body("devices.find { it.id == 'site-a' }.connected", org.hamcrest.Matchers.is(true))
                .body("devices.find { it.id == 'site-down' }.connected", org.hamcrest.Matchers.is(false))
                .body("devices.find { it.id == 'site-down' }.lastError", org.hamcrest.Matchers.containsString("not connected"))
                .body("writer.hypertables", org.hamcrest.Matchers.is(true))
                .body("writer.rowsDropped", org.hamcrest.Matchers.is(0));
    }

    @Test
    @Order(6)
    void aSlowDeviceMissesTicksWithoutPilingUp() {
        TestDatabase db = Resource.db;
        DeviceStats b = gateway.pollers().get("site-b").stats();
        long missedBefore = b.ticksMissed.get();
        // 7 sequential reads of 300 ms each: a cycle takes ~2.1 s, so every other tick or two is missed
        gateway.simulator().setResponseDelayMillis(300);
        try {
            waitFor(Duration.ofSeconds(15), () -> b.ticksMissed.get() >= missedBefore + 3);
        } finally {
            gateway.simulator().setResponseDelayMillis(0);
        }
        waitFor(Duration.ofSeconds(10), () -> db.count("SELECT count(*) FROM ess_gaps WHERE site_id = 'site-b' "
                + "AND reason LIKE 'tick missed: the previous cycle was still running'") >= 3 * 4);
        // ticks with rows are still whole seconds and each has all its rows: no tick was split or doubled
        assertEquals(0, db.count("SELECT count(*) FROM (SELECT \"TIMESTAMP\" FROM rack WHERE \"SITE_ID\" = 'site-b' "
                + "GROUP BY 1 HAVING count(*) <> 8) x"));
        assertEquals(0, db.count("SELECT count(*) FROM rack WHERE \"SITE_ID\" = 'site-b' "
                + "AND extract(milliseconds FROM \"TIMESTAMP\")::int % 1000 <> 0"));
    }

    @Test
    @Order(7)
    void aRestartDoesNotDuplicateRows() {
        TestDatabase db = Resource.db;
        long before = db.count("SELECT count(*) FROM rack");
        gateway.stop(Duration.ofSeconds(10));
        gateway.start();
        waitFor(Duration.ofSeconds(20), () -> db.count("SELECT count(*) FROM rack") >= before + 8 * 3 * 2);
        for (String table : TABLES) {
            String key = table.equals("rack") ? "\"SITE_ID\", \"TIMESTAMP\", \"BANK_ID\", \"RACK_ID\"" : "\"SITE_ID\", \"TIMESTAMP\", \"BANK_ID\"";
            // one statement, one snapshot: the restarted gateway keeps inserting between two separate counts
            assertEquals(0, db.count("SELECT count(*) - count(DISTINCT (" + key + ")) FROM " + table), table + " has duplicate keys");
        }
        gateway.stop(Duration.ofSeconds(10));
        assertEquals(0, gateway.writer().buffer().size(), "rows left unwritten at stop");
    }

    private static String countAt(String table, String site, long tick) {
        return "SELECT count(*) FROM " + table + " WHERE \"SITE_ID\" = '" + site + "' AND \"TIMESTAMP\" = to_timestamp(" + tick
                + " / 1000.0)";
    }

    private static List<Long> ticks(TestDatabase db, String site) {
        return db.query("SELECT (extract(epoch FROM \"TIMESTAMP\") * 1000)::bigint FROM bank WHERE \"SITE_ID\" = '" + site
                + "' ORDER BY 1").stream().map(r -> ((Number) r.get(0)).longValue()).toList();
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

    static void waitFor(Duration max, BooleanSupplier condition) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + max);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    static Set<String> set(String... s) {
        return new HashSet<>(List.of(s));
    }

    static void assertPresent(Object o) {
        assertNotNull(o);
    }
}
