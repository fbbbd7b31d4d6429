package org.openess.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openess.gateway.simulator.SimulatedDevice;
import org.openess.gateway.testsupport.Await;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.GatewayProcess;
import org.openess.gateway.testsupport.LoopbackDevices;
import org.openess.gateway.testsupport.Operation1Profiles;
import org.openess.gateway.testsupport.ProcessTest;
import org.openess.gateway.testsupport.TcpProxy;
import org.openess.gateway.testsupport.TestDatabase;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Alarms are as durable as rows: the packaged service with a spool raises an alarm while the
 * database is unreachable, is killed (SIGKILL) and started again while the database is still away,
 * then the database comes back. The alarm is stored once, with the id and start time it had before
 * the kill (the restarted service carried it on instead of raising it again), and its end arrives
 * on the same row when the value goes back.
 */
@ProcessTest
@DbTest
class AlarmProcessIT {
    private static final String CODE = "CELL_OVER_VOLTAGE";

    @TempDir
    Path tmp;

    @Test
    void anAlarmRaisedDuringAnOutageSurvivesAKillAndIsStoredOnceWithItsTrueStart() throws Exception {
        Path log = tmp.resolve("gateway.log");
        try (LoopbackDevices devices = LoopbackDevices.start(1); TestDatabase db = TestDatabase.create("alarmkill");
                TcpProxy proxy = new TcpProxy(db.host(), db.port())) {
            SimulatedDevice device = devices.server().devices().get(0);
            int devicePort = devices.basePort();
            Map<String, String> config = new HashMap<>();
            config.put("quarkus.datasource.reactive.url",
                    "postgresql://" + db.user() + ":" + db.password() + "@127.0.0.1:" + proxy.port() + "/" + db.name());
            config.put("ess.devices.site-a.host", "127.0.0.1");
            config.put("ess.devices.site-a.port", Integer.toString(devicePort));
            config.put("ess.devices.site-a.profile", Operation1Profiles.variant("fast-alarms").toString());
            config.put("ess.spool.dir", tmp.resolve("spool").toString());
            config.put("ess.storage.retry-min", "100ms");
            config.put("ess.storage.retry-max", "1s");
            config.put("quarkus.datasource.reactive.idle-timeout", "2s");
            String id;
            Instant start;
            try (GatewayProcess first = GatewayProcess.start(config, log).awaitRunning(Duration.ofSeconds(60))) {
                Await.until(Duration.ofSeconds(30), () -> db.count("SELECT count(*) FROM bank") >= 2);
                proxy.cut();
                device.override("RACK_MAX_CELL_VOLTAGE", 2, 4.08); // rack 3 above the 4.05 V warning
                JsonNode alarm = awaitActive(first);
                id = alarm.path("id").asText();
                start = Instant.parse(alarm.path("start").asText());
                Thread.sleep(1_500); // the alarm's record is in the spool (sync interval 200 ms), the database still away
                first.kill();
            }
            assertEquals(0, db.count("SELECT count(*) FROM ess_alarms"), "nothing reached the database before the kill");
            try (GatewayProcess second = GatewayProcess.start(config, log).awaitRunning(Duration.ofSeconds(60))) {
                Thread.sleep(4_000); // longer than the 2 s on-delay: a new alarm would have been raised by now
                JsonNode carried = awaitActive(second);
                assertEquals(id, carried.path("id").asText(), "carried on, not raised again:\n" + second.log());
                assertEquals(start.toString(), carried.path("start").asText());
                proxy.restore();
                Await.until(Duration.ofSeconds(60),
                        () -> db.count("SELECT count(*) FROM ess_alarms WHERE code = '" + CODE + "'") >= 1);
                Thread.sleep(2_000);
                assertEquals(1, db.count("SELECT count(*) FROM ess_alarms WHERE code = '" + CODE + "'"), "stored once");
                List<Object> row = db.query("SELECT id::text, extract(epoch FROM started_at)::float8, ended_at IS NULL, rack FROM ess_alarms"
                        + " WHERE code = '" + CODE + "'").get(0);
                assertEquals(id, row.get(0));
                assertEquals(start.toEpochMilli() / 1000.0, ((Number) row.get(1)).doubleValue(), 1e-3, "its true start");
                assertEquals(true, row.get(2), "still active");
                assertEquals(3, row.get(3));

                device.override("RACK_MAX_CELL_VOLTAGE", 2, 3.9);
                Await.until(Duration.ofSeconds(20), () -> db.count("SELECT count(*) FROM ess_alarms WHERE code = '" + CODE
                        + "' AND ended_at IS NOT NULL") == 1);
                assertEquals(1, db.count("SELECT count(*) FROM ess_alarms WHERE code = '" + CODE + "'"), "the end is on the same row");
                second.terminate(Duration.ofSeconds(15));
            }
        }
    }

    private static JsonNode awaitActive(GatewayProcess gw) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            for (JsonNode a : gw.get("/api/alarms").path("active")) {
                if (a.path("code").asText().equals(CODE) && a.path("rack").asInt() == 3) {
                    return a;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no active " + CODE + " alarm on rack 3; log:\n" + gw.log());
    }
}
