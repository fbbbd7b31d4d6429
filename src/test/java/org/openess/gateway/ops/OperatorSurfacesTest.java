package org.openess.gateway.ops;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openess.gateway.simulator.EmbeddedSimulator;
import org.openess.gateway.service.GatewayService;
import org.openess.gateway.simulator.SimulatedDevice;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.Provisioned;
import org.openess.gateway.testsupport.SimulatedSite;
import org.openess.gateway.testsupport.TestDatabase;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/**
 * Every operator endpoint against the running service: two simulated operation1 devices over
 * loopback Modbus TCP, a device whose port is closed, rows in a real TimescaleDB. Alarms are
 * driven through the simulator's value model (a rack's max cell voltage is overridden).
 */
@QuarkusTest
@SimulatedSite(database = "ops", simulatedDevices = 2, devices = { "site-a=0", "site-b=1", "site-down=closed" },
        profiles = "site-a=fast-alarms", config = { "ess.modbus.reconnect-min=100ms", "ess.modbus.reconnect-max=400ms",
                "quarkus.security.users.embedded.users.ops=" + OperatorSurfacesTest.PASSWORD,
                "quarkus.security.users.embedded.roles.ops=operator" })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DbTest
class OperatorSurfacesTest {
    static final String PASSWORD = "s3cret-operator-pw";
    static final ZoneId ZONE = ZoneId.of("Asia/Seoul");
    /** A day of the past with rows and gaps written by the test itself. */
    static final LocalDate KNOWN_DAY = LocalDate.of(2026, 1, 5);

    @Inject
    GatewayService gateway;
    @Inject
    EmbeddedSimulator simulator;
    @Provisioned
    TestDatabase db;

    @Test
    @Order(1)
    void healthBeforeAndAfterStart() {
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
        // not polling yet: rows cannot go anywhere
        given().get("/q/health/ready").then().statusCode(503).body("checks.find { it.name == 'storage' }.data.status",
                is("not started"));
        // the gateway's meters are bound when the service starts, not when Quarkus does
        assertFalse(given().get("/q/metrics").then().statusCode(200).extract().asString().contains("ess_rows_written_total"));
        gateway.start();
        waitFor(Duration.ofSeconds(30), () -> db.count("SELECT count(DISTINCT \"TIMESTAMP\") FROM bank WHERE \"SITE_ID\" = 'site-a'") >= 3);
        waitFor(Duration.ofSeconds(10), () -> given().get("/q/health/ready").statusCode() == 200);
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'storage' }.data.storage", is("database"))
                .body("checks.find { it.name == 'storage' }.data.'device.site-a'", is("ok"))
                .body("checks.find { it.name == 'storage' }.data.'device.site-down'", is("offline"))
                .body("checks.find { it.name == 'storage' }.data.'devices.offline'", is(1));
        given().get("/q/health/live").then().statusCode(200).body("checks.find { it.name == 'polling' }.data.running", is(true));
    }

    @Test
    @Order(2)
    void devicesListStateLastTickErrorAndLatency() {
        JsonPath devices = given().get("/api/devices").then().statusCode(200).body("id", hasItems("site-a", "site-b", "site-down"))
                .extract().jsonPath();
        assertEquals("ok", devices.getString("find { it.id == 'site-a' }.state"));
        assertEquals("offline", devices.getString("find { it.id == 'site-down' }.state"));
        assertTrue(devices.getString("find { it.id == 'site-down' }.lastError").contains("not connected"));
        assertTrue(devices.getDouble("find { it.id == 'site-a' }.lastCycleMs") > 0);
        assertTrue(devices.getString("find { it.id == 'site-a' }.lastTick").endsWith("Z"));
        assertEquals(1000, devices.getInt("find { it.id == 'site-a' }.pollIntervalMs"));
    }

    @Test
    @Order(3)
    void latestValuesByTableWithUnits() {
        given().get("/api/devices/site-a/latest").then().statusCode(200)
                .body("id", is("site-a"))
                .body("tick", notNullValue())
                .body("tables.keySet()", hasItems("bank", "rack", "pcs", "etc"))
                .body("tables.rack.rows", hasSize(8))
                .body("tables.rack.rows.RACK_ID", equalTo(List.of(1, 2, 3, 4, 5, 6, 7, 8)))
                .body("tables.bank.units.BANK_SOC", is("%"))
                .body("tables.bank.units.MAX_CELL_TEMPERATURE_OF_BANK", is("°C"))
                .body("tables.rack.units.RACK_MAX_CELL_VOLTAGE", is("V"))
                .body("tables.bank.units.BATTERY_STATUS_FOR_FAULT", nullValue());
        JsonPath latest = given().get("/api/devices/site-a/latest").jsonPath();
        double soc = latest.getDouble("tables.bank.rows[0].BANK_SOC");
        assertTrue(soc >= 24 && soc <= 86, "simulated SOC 55 +- 30: " + soc);
        double cell = latest.getDouble("tables.rack.rows[0].RACK_MAX_CELL_VOLTAGE");
        assertTrue(cell > 3.5 && cell < 4.0, "simulated max cell voltage: " + cell);
        given().get("/api/devices/no-such-device/latest").then().statusCode(404).body("error", containsString("no-such-device"));
    }

    @Test
    @Order(4)
    void historyHoldsTheChartedSeries() {
        JsonPath h = given().get("/api/devices/site-a/history?minutes=60&step=1").then().statusCode(200).extract().jsonPath();
        assertEquals("bank", h.getString("table"));
        assertEquals(List.of("soc", "dcVoltage", "dcCurrent", "power", "maxCellTemperature", "minCellTemperature"),
                h.getList("series.key"));
        int points = h.getList("t").size();
        assertTrue(points >= 3, "points: " + points);
        assertEquals(points, h.getList("series[0].values").size());
        assertEquals("%", h.getString("series[0].unit"));
        given().get("/api/devices/site-a/history?minutes=0").then().statusCode(400);
    }

    @Test
    @Order(5)
    void lossReportOfADayWithKnownGaps() {
        String start = "'" + KNOWN_DAY + " 00:00:00+09'";
        // site-b on the known day: bank lacks 600 seconds (400 recorded as gaps with two reasons),
        // rack has one hour, pcs and etc nothing
        db.execute("INSERT INTO bank (\"TIMESTAMP\", \"SITE_ID\", \"BANK_ID\") SELECT " + start
                + "::timestamptz + s * interval '1 second', 'site-b', 1 FROM generate_series(0, 86399) s WHERE s NOT BETWEEN 3600 AND 4199");
        db.execute("INSERT INTO rack (\"TIMESTAMP\", \"SITE_ID\", \"BANK_ID\", \"RACK_ID\") SELECT " + start
                + "::timestamptz + s * interval '1 second', 'site-b', 1, r FROM generate_series(0, 3599) s, generate_series(1, 8) r");
        db.execute("INSERT INTO ess_gaps (ts, site_id, table_name, missing_rows, reason) SELECT " + start
                + "::timestamptz + s * interval '1 second', 'site-b', 'bank', 1, CASE WHEN s < 3900 THEN 'tick missed: the gateway was stalled' "
                + "ELSE 'read fc4 0+125: no answer within 500 ms' END FROM generate_series(3600, 3999) s");
        // a row just before and just after the day (Seoul midnights) must not count
        db.execute("INSERT INTO bank (\"TIMESTAMP\", \"SITE_ID\", \"BANK_ID\") VALUES (" + start + "::timestamptz - interval '1 second', 'site-b', 1), ("
                + start + "::timestamptz + interval '1 day', 'site-b', 1)");

        JsonPath r = given().get("/api/loss?date=" + KNOWN_DAY).then().statusCode(200).extract().jsonPath();
        assertEquals("Asia/Seoul", r.getString("zone"));
        assertEquals(KNOWN_DAY.atStartOfDay(ZONE).toInstant().toString(), r.getString("from"));
        assertTrue(r.getBoolean("dayComplete"));
        String b = "devices.find { it.device == 'site-b' }.tables.find { it.table == 'bank' }";
        assertEquals(86_400, r.getLong(b + ".expectedRows"));
        assertEquals(85_800, r.getLong(b + ".storedRows"));
        assertEquals(600, r.getLong(b + ".missingRows"));
        assertEquals(0.694, r.getDouble(b + ".lossPercent"), 1e-9);
        assertEquals(400, r.getLong(b + ".recordedGapRows"));
        assertEquals(200, r.getLong(b + ".unexplainedRows"));
        assertEquals(List.of("tick missed: the gateway was stalled", "read fc4 0+125: no answer within 500 ms"),
                r.getList(b + ".gaps.reason"));
        assertEquals(List.of(300, 100), r.getList(b + ".gaps.rows"));
        String rack = "devices.find { it.device == 'site-b' }.tables.find { it.table == 'rack' }";
        assertEquals(8 * 86_400, r.getLong(rack + ".expectedRows"));
        assertEquals(8 * 3600, r.getLong(rack + ".storedRows"));
        assertEquals(95.833, r.getDouble(rack + ".lossPercent"), 1e-9);
        String pcs = "devices.find { it.device == 'site-b' }.tables.find { it.table == 'pcs' }";
        assertEquals(0, r.getLong(pcs + ".storedRows"));
        assertEquals(100.0, r.getDouble(pcs + ".lossPercent"), 1e-9);
        // the site as a whole: 11 rows a second expected
        assertEquals(11 * 86_400, r.getLong("devices.find { it.device == 'site-b' }.expectedRows"));
        assertEquals(85_800 + 8 * 3600, r.getLong("devices.find { it.device == 'site-b' }.storedRows"));
        // site-a stored nothing that day
        assertEquals(100.0, r.getDouble("devices.find { it.device == 'site-a' }.lossPercent"), 1e-9);

        // today: the running devices lose (almost) nothing since their first record
        JsonPath today = given().get("/api/loss").then().statusCode(200).extract().jsonPath();
        assertEquals(LocalDate.now(ZONE).toString(), today.getString("date"));
        assertFalse(today.getBoolean("dayComplete"));
        assertTrue(today.getLong("devices.find { it.device == 'site-a' }.storedRows") > 0);
        assertTrue(today.getDouble("devices.find { it.device == 'site-a' }.lossPercentSinceFirstRecord") < 50);
        assertEquals(100.0, today.getDouble("devices.find { it.device == 'site-down' }.lossPercent"), 1e-9);

        given().get("/api/loss?date=2026-13-01").then().statusCode(400).body("error", containsString("YYYY-MM-DD"));
        given().get("/api/loss?date=" + LocalDate.now(ZONE).plusDays(2)).then().statusCode(400).body("error", containsString("future"));
    }

    @Test
    @Order(6)
    void anAlarmStartsHoversAtItsLimitWithoutFlappingAndEnds() throws InterruptedException {
        SimulatedDevice device = simulator.server().devices().get(0); // site-a
        String code = "CELL_OVER_VOLTAGE";
        String rack3 = "active.find { it.code == '" + code + "' && it.rack == 3 && it.device == 'site-a' }";
        given().get("/api/alarms").then().statusCode(200).body("active.code", not(hasItems(code)));
        device.override("RACK_MAX_CELL_VOLTAGE", 2, 4.08); // rack 3, above the 4.05 V warning, below the 4.10 V fault
        waitFor(Duration.ofSeconds(15), () -> given().get("/api/alarms").jsonPath().get(rack3) != null);
        JsonPath a = given().get("/api/alarms").jsonPath();
        String id = a.getString(rack3 + ".id");
        assertEquals("warning", a.getString(rack3 + ".level"));
        assertEquals(1, a.getInt(rack3 + ".bank"));
        assertEquals(4.08, a.getDouble(rack3 + ".triggerValues.RACK_MAX_CELL_VOLTAGE"), 1e-9);
        assertEquals(4.05, a.getDouble(rack3 + ".triggerValues.limit"), 1e-9);
        assertTrue(a.getString(rack3 + ".message").contains("rack 3"), a.getString(rack3 + ".message"));
        // no fault: 4.08 is below the fault limit
        assertEquals(0, a.getList("active.findAll { it.code == '" + code + "' && it.level == 'fault' }").size());

        // hover around the limit, inside the 0.02 V deadband, for longer than the off-delay: nothing changes
        for (int i = 0; i < 8; i++) {
            device.override("RACK_MAX_CELL_VOLTAGE", 2, i % 2 == 0 ? 4.045 : 4.058);
            Thread.sleep(1000);
            assertEquals(id, given().get("/api/alarms").jsonPath().getString(rack3 + ".id"), "the alarm flapped at step " + i);
        }
        waitFor(Duration.ofSeconds(5), () -> db.count("SELECT count(*) FROM ess_alarms WHERE code = '" + code + "'") >= 1);
        assertEquals(1, db.count("SELECT count(*) FROM ess_alarms WHERE code = '" + code + "'"));
        assertEquals(1, db.count("SELECT count(*) FROM ess_alarms WHERE code = '" + code + "' AND ended_at IS NULL AND rack = 3"));

        // back to normal: ends after the 3 s off-delay
        device.override("RACK_MAX_CELL_VOLTAGE", 2, 3.9);
        waitFor(Duration.ofSeconds(15), () -> given().get("/api/alarms").jsonPath().get(rack3) == null);
        device.override("RACK_MAX_CELL_VOLTAGE", 2, null);
        waitFor(Duration.ofSeconds(5), () -> db.count("SELECT count(*) FROM ess_alarms WHERE code = '" + code
                + "' AND ended_at IS NOT NULL") == 1);
        List<Object> row = db.query("SELECT id::text, site_id, bank, rack, level, started_at < ended_at, peak_value, "
                + "trigger_values->>'RACK_MAX_CELL_VOLTAGE' FROM ess_alarms WHERE code = '" + code + "'").get(0);
        assertEquals(List.of(id, "site-a", 1, 3, "warning", true, 4.08, "4.08"), row);
        assertEquals(1, db.count("SELECT count(*) FROM ess_alarms WHERE code = '" + code + "'"), "one event, not one per second");

        JsonPath recent = given().get("/api/alarms?device=site-a").then().statusCode(200).extract().jsonPath();
        String ev = "recent.find { it.id == '" + id + "' }";
        assertEquals(false, recent.getBoolean(ev + ".active"));
        assertTrue(recent.getString(ev + ".end") != null);
        given().get("/api/alarms?device=site-b").then().statusCode(200).body("recent.device", everyItem(is("site-b")))
                .body("active.device", everyItem(is("site-b")));
        // a window before the alarm holds none of it
        given().get("/api/alarms?device=site-a&from=2026-01-01&to=2026-01-02").then().statusCode(200).body("recent", hasSize(0));
        given().get("/api/alarms?from=yesterday").then().statusCode(400).body("error", containsString("ISO-8601"));

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertEquals(1.0, metric(metrics, "ess_alarms_raised_total", "code=\"" + code + "\",level=\"warning\""));
        assertEquals(1.0, metric(metrics, "ess_alarms_ended_total", "code=\"" + code + "\",level=\"warning\""));
        assertEquals(0.0, metric(metrics, "ess_alarms_raised_total", "code=\"" + code + "\",level=\"fault\""));
    }

    @Test
    @Order(7)
    void metricsCoverDevicesWriterAndAlarmsWithoutPerRegisterLabels() {
        String m = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metric(m, "ess_device_cycles_total", "device=\"site-a\",outcome=\"ok\"") > 3);
        assertEquals(0.0, metric(m, "ess_device_cycles_total", "device=\"site-down\",outcome=\"ok\""));
        assertTrue(metric(m, "ess_device_cycles_total", "device=\"site-down\",outcome=\"partial\"") > 3);
        assertTrue(metric(m, "ess_device_reads_failed_total", "device=\"site-down\"") > 3);
        assertTrue(metric(m, "ess_reads_failed_total", "code=\"\",kind=\"not-connected\"") > 3);
        assertEquals(0.0, metric(m, "ess_reads_failed_total", "code=\"2\",kind=\"exception-response\""));
        assertEquals(2.0, metric(m, "ess_device_state", "device=\"site-down\""));
        assertEquals(0.0, metric(m, "ess_device_state", "device=\"site-a\""));
        assertTrue(metric(m, "ess_device_cycle_duration_seconds", "device=\"site-a\"") > 0);
        // rows per table: every table of the profile and the three event tables, nothing else (no "all")
        for (String table : List.of("bank", "rack", "pcs", "etc", "ess_quality", "ess_gaps", "ess_alarms")) {
            for (String counter : List.of("written", "duplicate", "dropped", "rejected")) {
                assertTrue(m.contains("ess_rows_" + counter + "_total{table=\"" + table + "\"}"), counter + " " + table);
            }
            assertEquals(0.0, metric(m, "ess_rows_dropped_total", "table=\"" + table + "\""), table);
            assertEquals(0.0, metric(m, "ess_rows_rejected_total", "table=\"" + table + "\""), table);
        }
        assertFalse(m.contains("table=\"all\""));
        assertEquals(7, Pattern.compile("(?m)^ess_rows_written_total\\{").matcher(m).results().count());
        // the alarm of the test before went through the writer: its start and its end
        assertTrue(metric(m, "ess_rows_written_total", "table=\"ess_alarms\"") >= 2);
        // the site-down device's partial cycles are recorded in ess_gaps
        assertTrue(metric(m, "ess_rows_written_total", "table=\"ess_gaps\"") > 0);
        assertTrue(metric(m, "ess_tick_to_commit_seconds", "quantile=\"0.99\"") > 0);
        assertTrue(metric(m, "ess_buffer_capacity_records", "") > 0);
        assertEquals(1.0, metric(m, "ess_writer_schema_ready", ""));
        assertTrue(m.contains("ess_archive_runs_total{outcome=\"ok\"}"));
        assertTrue(m.contains("ess_alarms_active{level=\"fault\"}"));
        assertTrue(m.contains("ess_device_values_out_of_range_total{device=\"site-a\"}"));
        // no label names a register or column
        assertFalse(Pattern.compile("\\{[^}]*(column|register|point)=").matcher(m).find());
        // the status API is a view over the same numbers
        JsonPath s = given().get("/api/status").jsonPath();
        assertEquals(3, s.getInt("totals.devices"));
        assertTrue(s.getLong("writer.rowsWritten") > 0);
        assertTrue(s.getLong("writer.tables.rack.written") > 0);
        assertEquals(0, s.getLong("writer.tables.rack.dropped"));
        assertEquals("offline", s.getString("devices.find { it.id == 'site-down' }.health.state"));
    }

    /** The per-table counters say what the database holds: rows the gateway wrote to bank and rack since it started. */
    @Test
    @Order(7)
    void rowsWrittenPerTableMatchTheDatabase() {
        for (String table : List.of("bank", "rack")) {
            String labels = "table=\"" + table + "\"";
            double before = metric(given().get("/q/metrics").asString(), "ess_rows_written_total", labels);
            assertEquals(0.0, metric(given().get("/q/metrics").asString(), "ess_rows_duplicate_total", labels));
            // only the running devices' rows: lossReportOfADayWithKnownGaps wrote a day in January itself
            long stored = db.count("SELECT count(*) FROM " + table + " WHERE \"TIMESTAMP\" > now() - interval '1 day'");
            assertTrue(before > 10, table + ": " + before);
            assertTrue(before <= stored, table + ": metric " + before + " > " + stored + " rows in the database");
            // what the database holds was counted once the writer heard back (a snapshot lasts 200 ms)
            waitFor(Duration.ofSeconds(10),
                    () -> metric(given().get("/q/metrics").asString(), "ess_rows_written_total", labels) >= stored);
            double status = given().get("/api/status").jsonPath().getDouble("writer.tables." + table + ".written");
            assertTrue(status >= stored, table + ": status " + status + " < " + stored);
        }
    }

    @Test
    @Order(8)
    void stateChangesNeedAnOperatorAndNoResponseShowsACredential() {
        given().post("/api/status/latency/reset").then().statusCode(401);
        given().auth().preemptive().basic("ops", "wrong").post("/api/status/latency/reset").then().statusCode(401);
        given().auth().preemptive().basic("ops", PASSWORD).post("/api/status/latency/reset").then().statusCode(200)
                .body("reset", is(true));
        for (String path : List.of("/api/status", "/api/devices", "/api/alarms", "/q/health", "/q/metrics", "/q/openapi", "/")) {
            String body = given().get(path).then().extract().asString();
            assertFalse(body.contains(PASSWORD), path + " shows the operator password");
            assertFalse(body.contains(db.password() + "@"), path + " shows the database URL with its password");
        }
    }

    @Test
    @Order(9)
    void openApiDescribesEveryEndpointAndThePageIsServedWithItsChartLibrary() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.keySet()", hasItems("/api/devices", "/api/devices/{id}/latest", "/api/devices/{id}/history", "/api/loss",
                        "/api/alarms", "/api/status"));
        given().get("/").then().statusCode(200).contentType(containsString("text/html")).body(containsString("uPlot.iife.min.js"));
        given().get("/webjars/uplot/dist/uPlot.iife.min.js").then().statusCode(200).body(containsString("uPlot"));
        given().get("/status.js").then().statusCode(200);
        assertTrue(given().get("/").then().extract().asString().matches("(?s).*<meta name=\"viewport\"[^>]*width=device-width.*"));
        given().get("/api/devices").then().body("size()", greaterThan(0));
    }

    static double metric(String text, String name, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + (labels.isEmpty() ? "" : "\\{" + Pattern.quote(labels) + "\\}")
                + " (\\S+)$").matcher(text);
        if (!m.find()) {
            throw new AssertionError("no " + name + "{" + labels + "} in the metrics");
        }
        return Double.parseDouble(m.group(1));
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
}
