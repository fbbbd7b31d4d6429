package org.openess.gateway.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.openess.gateway.acquisition.Acquisition;
import org.openess.gateway.acquisition.DeviceState;
import org.openess.gateway.config.EssConfig;
import org.openess.gateway.service.GatewayService;
import org.openess.gateway.testsupport.AcceptorSite;
import org.openess.gateway.testsupport.AcceptorSiteResource;
import org.openess.gateway.testsupport.CapturedLog;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.RunningGateway;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * 2,000 devices against the real service and TimescaleDB, a quarter of which never answer: 1,500
 * behind 150 Modbus TCP gateways (10 units each) that answer like the simulator, 500 on endpoints
 * that accept and never answer, so their reads time out. Polled every 10 s to keep the 2-core
 * machine's CPU for the rest (the log does not depend on the poll rate: 500 devices go offline
 * and their connections are reopened all the same). Over more than a minute the service's log
 * stays within what the configuration allows, while {@code /api/devices} and the state gauge show
 * every one of the 2,000 devices in its state. Response timeout 2 s rather than 500 ms: on a
 * machine shared with other work a stall of half a second would turn answering devices degraded
 * and this test is about the log, not about stalls.
 */
@QuarkusTest
@AcceptorSite(database = "lograte", answering = 150, unitsPerEndpoint = 10, silent = 500,
        deviceConfig = { "poll-interval=10s", "timeout=2s" })
@DbTest
class LogRateTest {
    static final int DEVICES = 2000;
    static final int SILENT = 500;
    /** What start-up writes besides the device lines (storage, schema, polling started, ...), whatever the device count. */
    static final int STARTUP_ALLOWANCE = 40;
    /** Summaries per interval: device states, connection problems, alarms. */
    static final int SUMMARIES_PER_INTERVAL = 3;
    /** Census lines: every device through its first cycle, and the bad devices once per log-summary-interval (5 min). */
    static final int CENSUS_LINES = 2;

    @Inject
    GatewayService gateway;
    @Inject
    Acquisition acquisition;
    @Inject
    EssConfig config;

    @Test
    void theLogStaysWithinItsBudgetWhileTheApiAndTheGaugeShowEveryDevice() throws Exception {
        given().get("/api/devices").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        int linesPerInterval = config.modbus().logLines();
        long intervalMillis = config.modbus().logInterval().toMillis();
        List<String> lines;
        long ranMillis;
        List<Map<String, Object>> devices;
        String metrics;
        try (CapturedLog log = CapturedLog.start()) {
            long start = System.currentTimeMillis();
            try (RunningGateway running = RunningGateway.start(gateway, Duration.ofSeconds(10))) {
                long deadline = start + 90_000;
                while (acquisition.devices().stream().anyMatch(d -> d.state() == DeviceState.CONNECTING)
                        && System.currentTimeMillis() < deadline) {
                    Thread.sleep(500);
                }
                // more than a minute of polling, ending between two ticks so every device's last cycle is done
                long until = start + 75_000;
                while (System.currentTimeMillis() < until || System.currentTimeMillis() % 10_000 < 6_000) {
                    Thread.sleep(100);
                }
                devices = given().get("/api/devices").then().statusCode(200).extract().jsonPath().getList("$");
                metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
                ranMillis = System.currentTimeMillis() - start;
                lines = log.lines();
            }
        }

        // every device in /api/devices with its state: the answering ones ok, the silent ones offline (or degraded)
        assertEquals(DEVICES, devices.size());
        Map<String, Integer> states = new TreeMap<>();
        int everOffline = 0;
        for (Map<String, Object> d : devices) {
            String id = (String) d.get("id");
            String state = (String) d.get("state");
            states.merge(state, 1, Integer::sum);
            boolean silent = Integer.parseInt(id.substring(1)) >= DEVICES - SILENT;
            if (silent) {
                assertTrue(state.equals("offline") || state.equals("degraded"), id + ": " + d);
            } else {
                assertEquals("ok", state, id + ": " + d);
                assertEquals(0, ((Number) d.get("timesOffline")).intValue(), id + ": " + d);
            }
            everOffline += ((Number) d.get("timesOffline")).intValue() > 0 ? 1 : 0;
        }
        assertEquals(SILENT, everOffline, "devices ever offline (the benchmark's count): " + states);
        // and in the state gauge
        Map<String, Integer> gauge = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)^ess_device_state\\{device=\"(d\\d{5})\"\\} (\\S+)$").matcher(metrics);
        while (m.find()) {
            int code = (int) Double.parseDouble(m.group(2));
            boolean silent = Integer.parseInt(m.group(1).substring(1)) >= DEVICES - SILENT;
            assertTrue(silent ? code == 2 || code == 1 : code == 0, m.group(1) + " has state code " + code);
            gauge.merge(code == 0 ? "ok" : "offline/degraded", 1, Integer::sum);
        }
        assertEquals(Map.of("ok", DEVICES - SILENT, "offline/degraded", SILENT), gauge);
        assertTrue(AcceptorSiteResource.id(DEVICES - 1).equals("d01999"));

        // the log: at most log-lines per interval, one summary of each kind per interval, the census, a fixed start-up allowance
        long intervals = (ranMillis + intervalMillis - 1) / intervalMillis + 1;
        long bound = STARTUP_ALLOWANCE + intervals * (linesPerInterval + SUMMARIES_PER_INTERVAL) + CENSUS_LINES;
        double perMinute = lines.size() * 60_000.0 / ranMillis;
        long perMinuteBound = STARTUP_ALLOWANCE + (60_000 / intervalMillis) * (linesPerInterval + SUMMARIES_PER_INTERVAL) + CENSUS_LINES;
        System.out.printf("log rate: %d lines in %.1f s = %.1f lines/min (bound %d over the run, %d per minute); states %s%n",
                lines.size(), ranMillis / 1000.0, perMinute, bound, perMinuteBound, states);
        assertTrue(lines.size() <= bound, lines.size() + " lines in " + ranMillis + " ms, bound " + bound + ":\n"
                + String.join("\n", lines));
        assertTrue(perMinute <= perMinuteBound, perMinute + " lines per minute, bound " + perMinuteBound);
        // what was held back was summarised, by state and cause
        assertTrue(lines.stream().anyMatch(l -> l.matches(".*\\d+ devices offline in the last 10 s: \\d+ timeouts on fc\\d+ \\d+\\+\\d+.*")
                || l.matches(".*\\d+ devices changed state in the last 10 s: \\d+ offline \\(.*")), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("all 2000 device(s) through their first cycle")), String.join("\n", lines));
    }
}
