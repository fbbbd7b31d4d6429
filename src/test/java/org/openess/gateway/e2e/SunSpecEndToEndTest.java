package org.openess.gateway.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openess.gateway.testsupport.Await.until;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.openess.gateway.simulator.EmbeddedSimulator;
import org.openess.gateway.service.GatewayService;
import org.openess.gateway.archive.ArchiveListener;
import org.openess.gateway.archive.ArchiveSettings;
import org.openess.gateway.archive.Archiver;
import org.openess.gateway.archive.SiteDayResult;
import org.openess.gateway.archive.TargetLocation;
import org.openess.gateway.simulator.SunSpecSimulatedDevice;
import org.openess.gateway.storage.Database;
import org.openess.gateway.sunspec.SunSpecModel;
import org.openess.gateway.sunspec.SunSpecModels;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.Provisioned;
import org.openess.gateway.testsupport.SimulatedSite;
import org.openess.gateway.testsupport.TestDatabase;

import io.restassured.path.json.JsonPath;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * A simulated SunSpec battery (802 + 803 + 804, 2 strings of 4 modules) polled with the README's
 * three configuration lines, over loopback Modbus into TimescaleDB: discovery, the status API,
 * one row per table and tick (group rows per string and module), values equal to what the
 * simulator serves (scale factors applied), "not implemented" points NULL without quality
 * records, the battery's Evt1 alarm bits raising and ending alarm events, and the day archived as CSV per table.
 */
@QuarkusTest
// the README's three lines: the device's host, port and "profile: sunspec"
@SimulatedSite(database = "sunspec", simulator = "sunspec:1,802,803,804:strings=2:modules=4", devices = "bat=0",
        config = "ess.devices.bat.profile=sunspec")
@DbTest
class SunSpecEndToEndTest {
    static final String SITE = "bat";

    @Inject
    GatewayService gateway;
    @Inject
    EmbeddedSimulator simulator;
    @Inject
    Database database;
    @Provisioned
    TestDatabase db;

    @Test
    void discoversStoresAndArchivesASimulatedBattery() throws Exception {
        gateway.start();
        until(Duration.ofSeconds(40), () -> tableExists(db, "sunspec_lithium_ion_string_module")
                && db.count("SELECT count(DISTINCT \"TIMESTAMP\") FROM sunspec_lithium_ion_string_module") >= 4);

        given().when().get("/api/status").then().statusCode(200)
                .body("devices[0].id", equalTo(SITE))
                .body("devices[0].sunspec.state", equalTo("polling"))
                .body("devices[0].sunspec.base", equalTo(40000))
                .body("devices[0].sunspec.tables", hasItems("sunspec_common", "sunspec_battery", "sunspec_lithium_ion_bank",
                        "sunspec_lithium_ion_bank_string", "sunspec_lithium_ion_string", "sunspec_lithium_ion_string_module"))
                .body("devices[0].sunspec.models[1]", equalTo("802#1@40070+62 battery"))
                .body("devices[0].sunspec.differences", org.hamcrest.Matchers.empty())
                .body("sunspecRejectedModels", org.hamcrest.Matchers.empty());

        // tables discovered after connecting get their per-table row series then, with what was stored
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("ess_sunspec_models_rejected 0.0"), "no ess_sunspec_models_rejected gauge");
        for (String table : List.of("sunspec_battery", "sunspec_lithium_ion_string_module")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^ess_rows_written_total\\{table=\"" + table + "\"\\} (\\S+)$")
                    .matcher(metrics);
            assertTrue(m.find(), "no ess_rows_written_total for " + table);
            double written = Double.parseDouble(m.group(1));
            assertTrue(written > 0 && written <= db.count("SELECT count(*) FROM " + table), table + ": " + written);
            assertTrue(metrics.contains("ess_rows_rejected_total{table=\"" + table + "\"} 0.0"), table);
        }

        List<Object> hypertables = db.query("SELECT hypertable_name FROM timescaledb_information.hypertables").stream()
                .map(r -> r.get(0)).toList();
        assertTrue(hypertables.containsAll(List.of("sunspec_battery", "sunspec_lithium_ion_string_module")), hypertables.toString());

        // every complete tick: 1 + 1 + 1 bank + 2 bank strings + 2 string models + 2 × 4 modules
        List<List<Object>> ticks = db.query("SELECT \"TIMESTAMP\" FROM sunspec_lithium_ion_string_module GROUP BY 1 ORDER BY 1");
        Map<String, Integer> perTick = Map.of("sunspec_common", 1, "sunspec_battery", 1, "sunspec_lithium_ion_bank", 1,
                "sunspec_lithium_ion_bank_string", 2, "sunspec_lithium_ion_string", 2, "sunspec_lithium_ion_string_module", 8);
        Timestamp tick = (Timestamp) ticks.get(ticks.size() - 2).get(0);
        for (Map.Entry<String, Integer> e : perTick.entrySet()) {
            assertEquals(e.getValue().longValue(), db.count("SELECT count(*) FROM " + e.getKey() + " WHERE \"SITE_ID\" = '" + SITE
                    + "' AND \"TIMESTAMP\" = '" + tick.toInstant() + "'"), e.getKey() + " rows at " + tick);
        }
        assertEquals(List.of(List.of(1, 1), List.of(1, 2), List.of(1, 3), List.of(1, 4), List.of(2, 1), List.of(2, 2), List.of(2, 3),
                List.of(2, 4)), db.query("SELECT \"MODEL_INDEX\", \"MODULE_INDEX\" FROM sunspec_lithium_ion_string_module WHERE "
                        + "\"TIMESTAMP\" = '" + tick.toInstant() + "' ORDER BY 1, 2"));

        // values: what the simulator serves at that second, with the served scale factor applied
        SunSpecSimulatedDevice device = (SunSpecSimulatedDevice) simulator.server().registers().get(0);
        int[] image = device.imageAt(tick.toInstant().getEpochSecond());
        SunSpecModel battery = SunSpecModels.builtin().get(802);
        int at = 40070 + battery.group().offsetOf("SoC") - device.base();
        int sf = (short) image[40070 + battery.group().offsetOf("SoC_SF") - device.base()];
        List<Object> row = db.query("SELECT \"SoC\", \"SoC_SF\", \"DoD\", \"DoD_SF\", \"SocRsvMax\", \"Typ\", \"AHRtg\" FROM sunspec_battery "
                + "WHERE \"TIMESTAMP\" = '" + tick.toInstant() + "'").get(0);
        assertEquals(-1, sf);
        assertEquals(image[at] / 10.0, (Double) row.get(0), 1e-9);
        assertEquals(-1, row.get(1));
        assertEquals(null, row.get(2), "DoD: its scale factor is not implemented");
        assertEquals(null, row.get(3));
        assertEquals(null, row.get(4), "SocRsvMax is not implemented");
        assertEquals(4, row.get(5));
        assertEquals(280.0, (Double) row.get(6), 1e-9, "AHRtg with a positive scale factor");
        assertEquals(List.of(List.of("OpenESS", "SIM0000-1-0")),
                db.query("SELECT \"Mn\", \"SN\" FROM sunspec_common WHERE \"TIMESTAMP\" = '" + tick.toInstant() + "'"));
        List<List<Object>> cells = db.query("SELECT \"ModCellVMax\" FROM sunspec_lithium_ion_string_module WHERE \"TIMESTAMP\" = '"
                + tick.toInstant() + "'");
        for (List<Object> c : cells) {
            double v = (Double) c.get(0);
            assertTrue(v > 3.5 && v < 3.9 && Math.abs(v * 1000 - Math.rint(v * 1000)) < 1e-6, "cell voltage " + v);
        }
        assertEquals(0, db.count("SELECT count(*) FROM ess_quality WHERE table_name LIKE 'sunspec%'"),
                "'not implemented' is not a quality event");

        // 802 Evt1 bits feed the alarm events: OVER_TEMP_ALARM (bit 1) set on the device raises a fault named by the
        // model's symbol after the 3 s on-delay; cleared, it ends after the 10 s off-delay
        device.hold("battery", "Evt1", 1L << 1);
        String active = "active.find { it.code == 'OVER_TEMP_ALARM' }";
        until(Duration.ofSeconds(20), () -> given().get("/api/alarms").jsonPath().get(active) != null);
        JsonPath alarms = given().get("/api/alarms").jsonPath();
        assertEquals("fault", alarms.getString(active + ".level"));
        assertEquals(SITE, alarms.getString(active + ".device"));
        assertTrue(alarms.getString(active + ".message").contains("Evt1 bit 1 OVER_TEMP_ALARM is set"), alarms.prettify());
        until(Duration.ofSeconds(5), () -> db.count("SELECT count(*) FROM ess_alarms WHERE code = 'OVER_TEMP_ALARM' AND level = "
                + "'fault' AND site_id = '" + SITE + "' AND ended_at IS NULL AND (trigger_values->>'Evt1')::float8 = 2") == 1);
        assertEquals(0, db.count("SELECT count(*) FROM ess_alarms WHERE code <> 'OVER_TEMP_ALARM'"), "only the held bit raised");
        device.hold("battery", "Evt1", 0L);
        until(Duration.ofSeconds(25), () -> given().get("/api/alarms").jsonPath().get(active) == null);
        until(Duration.ofSeconds(5), () -> db.count("SELECT count(*) FROM ess_alarms WHERE code = 'OVER_TEMP_ALARM' AND ended_at IS NOT "
                + "NULL") == 1);
        assertEquals(1, db.count("SELECT count(*) FROM ess_alarms"));
        device.hold("battery", "Evt1", null);

        // the archive: one CSV per SunSpec table, with the rows of the database
        Path dir = Files.createTempDirectory("sunspec-archive");
        ZoneId zone = ZoneId.of("UTC");
        LocalDate day = LocalDate.now(zone);
        ArchiveSettings settings = new ArchiveSettings(zone, new TargetLocation.LocalFolder(dir), false, 0,
                Path.of(System.getProperty("java.io.tmpdir")), new ArchiveSettings.Gcs(Optional.empty(), Optional.empty(),
                        Optional.empty(), Duration.ofSeconds(60), 6, Duration.ofMillis(500), Duration.ofSeconds(16), 16 * 1024 * 1024));
        // the archive's JDBC connection as the service derives it from the same quarkus.datasource keys
        try (Archiver archiver = Archiver.open(settings, database.settings())) {
            List<SiteDayResult> results = archiver.archiveRange(day, day, Optional.of(SITE), new ArchiveListener() {
            });
            assertEquals(1, results.size());
            assertTrue(results.get(0).ok(), results.toString());
            List<String> tables = results.get(0).tables().stream().map(t -> t.table()).toList();
            assertTrue(tables.containsAll(perTick.keySet()), tables.toString());
        }
        Path folder = dir.resolve(SITE).resolve(String.format("%04d/%02d/%02d", day.getYear(), day.getMonthValue(), day.getDayOfMonth()));
        List<String> csv = Files.readAllLines(folder.resolve(day + "-sunspec_lithium_ion_string_module.csv"));
        assertTrue(csv.get(0).startsWith("TIMESTAMP,SITE_ID,MODEL_INDEX,MODULE_INDEX,ModNCell,ModSoC,"), csv.get(0));
        assertTrue(csv.size() - 1 >= 8 * 4, "module rows archived: " + (csv.size() - 1));
        assertTrue(Files.exists(folder.resolve(day + "-manifest.json")));
    }

    private static boolean tableExists(TestDatabase db, String table) {
        return db.count("SELECT count(*) FROM information_schema.tables WHERE table_name = '" + table + "'") > 0;
    }
}
