package org.openess.gateway.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.service.GatewayService;
import org.openess.gateway.sunspec.SunSpecModel;
import org.openess.gateway.sunspec.SunSpecModels;
import org.openess.gateway.sunspec.SunSpecType;
import org.openess.gateway.testsupport.FreePorts;
import org.openess.gateway.testsupport.SimulatedDevices;
import org.openess.gateway.testsupport.TestDatabase;
import org.openess.gateway.testsupport.UpstreamSunSpecModels;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/**
 * As a new user would: {@code ess.sunspec.models-dir} is the upstream {@code json/} folder (a copy,
 * with one broken file added), and a simulated IEEE 1547 DER device serving models 1 and 701-713
 * is polled into TimescaleDB: every point of every model has its column, nested curves included,
 * every table gets rows, and the broken file gives one rejection in {@code /api/status} and the
 * metric while everything else polls.
 */
@QuarkusTest
@QuarkusTestResource(value = SunSpecDerEndToEndTest.Resource.class, restrictToAnnotatedClass = true)
@DbTest
class SunSpecDerEndToEndTest {
    static final String CHAIN = "1,701,702,703,704,705,706,707,708,709,710,711,712,713";

    public static class Resource implements QuarkusTestResourceLifecycleManager {
        static TestDatabase db;
        static Path models;

        @Override
        public Map<String, String> start() {
            db = TestDatabase.create("sunspecder");
            try {
                models = Files.createTempDirectory("sunspec-models");
                try (Stream<Path> s = Files.list(UpstreamSunSpecModels.folder())) {
                    for (Path f : s.filter(p -> p.getFileName().toString().startsWith("model_")).toList()) {
                        Files.copy(f, models.resolve(f.getFileName()));
                    }
                }
                Files.writeString(models.resolve("model_64998.json"), "{\"id\": 64998, \"group\": {\"name\": \"broken\", \"points\": [");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            int port = FreePorts.one();
            Map<String, String> c = SimulatedDevices.withSimulator(db.quarkusConfig(), port);
            c.put("ess.simulator.profile", "sunspec:" + CHAIN);
            c.put("ess.sunspec.models-dir", models.toString());
            SimulatedDevices.device(c, "der", port);
            c.put("ess.devices.der.profile", "sunspec");
            return c;
        }

        @Override
        public void stop() {
            db.close();
        }
    }

    @Inject
    GatewayService gateway;

    @Test
    void aDerDeviceIsStoredCompletelyFromTheUpstreamFolder() throws Exception {
        gateway.start();
        TestDatabase db = Resource.db;
        waitFor(Duration.ofSeconds(60), () -> "polling".equals(given().get("/api/status").jsonPath().getString("devices[0].sunspec.state")));
        JsonPath status = given().get("/api/status").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(), status.getList("devices[0].sunspec.skipped"));
        assertEquals(1, status.getList("sunspecRejectedModels").size());
        assertTrue(status.getString("sunspecRejectedModels[0].file").endsWith("model_64998.json"));
        assertEquals(64998, status.getInt("sunspecRejectedModels[0].id"));
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("ess_sunspec_models_rejected 1.0"), "ess_sunspec_models_rejected 1");

        List<String> tables = status.getList("devices[0].sunspec.tables");
        waitFor(Duration.ofSeconds(60), () -> tables.stream().allMatch(t -> tableExists(db, t)
                && db.count("SELECT count(DISTINCT \"TIMESTAMP\") FROM " + t) >= 2));

        // every point of every model of the chain (not ID, L or padding) is a column of one of its tables
        SunSpecModels models = SunSpecModels.load(UpstreamSunSpecModels.folder());
        int expected = 0;
        for (String id : CHAIN.split(",")) {
            expected += points(models.get(Integer.parseInt(id)).group(), true);
        }
        long columns = 0;
        for (String t : tables) {
            columns += db.count("SELECT count(*) FROM information_schema.columns WHERE table_name = '" + t + "' AND column_name NOT IN "
                    + "('TIMESTAMP', 'SITE_ID', 'MODEL_INDEX') AND column_name NOT LIKE '%\\_INDEX'");
        }
        assertEquals(expected, columns, "point columns over " + tables);
        // 707's curve points: two curve sets × MustTrip × 2 points (the simulator serves two of each), keyed by every index
        String pt = tables.stream().filter(t -> t.startsWith("sunspec_dertriplv_") && t.endsWith("_musttrip_pt")).findFirst().orElseThrow();
        List<List<Object>> keys = db.query("SELECT \"MODEL_INDEX\", \"CRV_INDEX\", \"MUSTTRIP_INDEX\", \"PT_INDEX\" FROM " + pt
                + " WHERE \"TIMESTAMP\" = (SELECT max(\"TIMESTAMP\") FROM " + pt + ") ORDER BY 2, 4");
        assertEquals(List.of(List.of(1, 1, 1, 1), List.of(1, 1, 1, 2), List.of(1, 2, 1, 1), List.of(1, 2, 1, 2)), keys);
    }

    private static int points(SunSpecModel.Group g, boolean top) {
        int n = 0;
        for (SunSpecModel.Point p : g.points()) {
            if (p.type() != SunSpecType.PAD && !(top && (p.name().equals("ID") || p.name().equals("L")))) {
                n++;
            }
        }
        List<Integer> inner = new ArrayList<>();
        for (SunSpecModel.Group h : g.groups()) {
            inner.add(points(h, false));
        }
        return n + inner.stream().mapToInt(Integer::intValue).sum();
    }

    private static boolean tableExists(TestDatabase db, String table) {
        return db.count("SELECT count(*) FROM information_schema.tables WHERE table_name = '" + table + "'") > 0;
    }

    private static void waitFor(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout);
            }
            Thread.sleep(200);
        }
    }
}
