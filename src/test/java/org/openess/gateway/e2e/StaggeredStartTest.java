package org.openess.gateway.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.openess.gateway.acquisition.Acquisition;
import org.openess.gateway.acquisition.DeviceHealth;
import org.openess.gateway.acquisition.DeviceState;
import org.openess.gateway.acquisition.DeviceStats;
import org.openess.gateway.acquisition.DeviceStatus;
import org.openess.gateway.acquisition.StartSpread;
import org.openess.gateway.service.GatewayService;
import org.openess.gateway.testsupport.AcceptorSite;
import org.openess.gateway.testsupport.AcceptorSiteResource;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.Provisioned;
import org.openess.gateway.testsupport.RecordingAcceptor;
import org.openess.gateway.testsupport.RunningGateway;
import org.openess.gateway.testsupport.TestDatabase;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * A start of 200 devices, each on its own Modbus TCP endpoint, with a start spread of 2 s and at
 * most 8 connects at once, seen from the server side: the endpoints record when they accept. Each
 * device's connect-delay (400 ms) is part of its connect (the permit is held until the connection is
 * ready), so every connection occupies a permit for at least the 400 ms after its accept; at most 8
 * of those windows may overlap (shortened by a margin for how late the acceptor's event loop may
 * record an accept). Until its first cycle every device is {@code connecting}, in the API, the
 * gauge and the gaps it leaves. Polled every 10 s, so the acceptor's one event loop is free to
 * record accepts when they happen (a 2-core machine shared with other work delayed them by more
 * than 120 ms at 1 Hz).
 */
@QuarkusTest
@AcceptorSite(database = "staggered", answering = StaggeredStartTest.DEVICES, deviceConfig = { "connect-delay=400ms", "timeout=2s", "poll-interval=10s" },
        config = { "ess.modbus.start-spread=2s", "ess.modbus.max-concurrent-connects=8" })
@DbTest
class StaggeredStartTest {
    static final int DEVICES = 200;
    static final int LIMIT = 8;
    static final long SPREAD_MILLIS = 2000;
    static final long CONNECT_DELAY_MILLIS = 400;
    /** How much later than the kernel's handshake the acceptor may record an accept on a busy 2-core machine. */
    static final long ACCEPT_MARGIN_MILLIS = 200;

    @Inject
    GatewayService gateway;
    @Inject
    Acquisition acquisition;
    @Provisioned
    RecordingAcceptor acceptor;
    @Provisioned
    TestDatabase db;

    @Test
    void connectsAreSpreadOverTheWindowNeverMoreThanTheLimitAtOnceAndDevicesAreConnectingUntilTheirFirstCycle() throws Exception {
        // the first requests of a fresh application are slow: make them before the start
        given().get("/api/devices").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        String last = AcceptorSiteResource.id(latestOffset());
        String lastState;
        long before = System.currentTimeMillis();
        int connectingSeen = 0;
        int apiConnecting;
        Map<Object, Long> apiStates;
        double gaugeOfAConnectingDevice;
        try (RunningGateway running = RunningGateway.start(gateway, Duration.ofSeconds(10))) {
            // at once: the devices whose offsets have not come are connecting in the API and the gauge
            List<Map<String, Object>> early = given().get("/api/devices").then().statusCode(200).extract().jsonPath().getList("$");
            apiStates = early.stream().collect(java.util.stream.Collectors.groupingBy(d -> d.get("state"),
                    java.util.stream.Collectors.counting()));
            apiConnecting = (int) early.stream().filter(d -> "connecting".equals(d.get("state"))).count();
            lastState = early.stream().filter(d -> last.equals(d.get("id"))).map(d -> String.valueOf(d.get("state"))).findFirst()
                    .orElse("missing");
            gaugeOfAConnectingDevice = metric(given().get("/q/metrics").then().statusCode(200).extract().asString(), last);

            // until every device has finished a cycle: one that has not is connecting (its health is read before its counters)
            long deadline = System.currentTimeMillis() + 60_000;
            int withoutCycle;
            do {
                withoutCycle = 0;
                for (DeviceStatus d : acquisition.devices()) {
                    DeviceHealth h = d.health();
                    DeviceStats c = d.counters();
                    if (c.cyclesComplete() + c.cyclesPartial() == 0) {
                        withoutCycle++;
                        assertEquals(DeviceState.CONNECTING, h.state(), d.id() + " has not finished a cycle");
                        connectingSeen++;
                    }
                }
                Thread.sleep(50);
            } while (withoutCycle > 0 && System.currentTimeMillis() < deadline);
            assertEquals(0, withoutCycle, "every device finished its first cycle within 60 s");
            Thread.sleep(2_000);
            List<Map<String, Object>> after = given().get("/api/devices").then().statusCode(200).extract().jsonPath().getList("$");
            assertEquals(DEVICES, after.size());
            for (Map<String, Object> d : after) {
                assertEquals("ok", d.get("state"), d.toString());
                assertEquals(0, ((Number) d.get("timesOffline")).intValue(), d.toString());
            }
            int mostHeld = acquisition.connectPermits().mostHeld();
            assertEquals(LIMIT, mostHeld, "the gateway's own count of permits held at once: the limit was reached, never passed");
        }
        assertTrue(apiConnecting > 0, "devices connecting right after the start: " + apiStates);
        assertEquals("connecting", lastState, "the device with the latest offset, right after the start: " + apiStates);
        assertEquals(3.0, gaugeOfAConnectingDevice, "ess_device_state of the device with the latest offset, right after the start");
        assertTrue(connectingSeen > 0);

        List<RecordingAcceptor.Accept> accepts = new ArrayList<>(acceptor.accepts());
        accepts.sort((a, b) -> Long.compare(a.atNanos(), b.atNanos()));
        assertEquals(DEVICES, accepts.size(), "one connect per device, no reconnects");
        // spread: no device connects before its offset, and the connects cover the window rather than its first instant
        Map<Integer, Long> acceptedAt = new HashMap<>();
        for (RecordingAcceptor.Accept a : accepts) {
            acceptedAt.put(a.endpoint(), a.atMillis());
            long offset = StartSpread.offsetMillis(AcceptorSiteResource.id(a.endpoint()), Duration.ofMillis(SPREAD_MILLIS));
            assertTrue(a.atMillis() >= before + offset - 5, AcceptorSiteResource.id(a.endpoint()) + " accepted "
                    + (a.atMillis() - before) + " ms after the start, its offset is " + offset + " ms");
        }
        assertEquals(DEVICES, acceptedAt.size());
        long span = accepts.get(DEVICES - 1).atMillis() - accepts.get(0).atMillis();
        assertTrue(span >= SPREAD_MILLIS * 3 / 4, "connects spread over " + span + " ms");
        long firstTenth = accepts.stream().filter(a -> a.atMillis() < accepts.get(0).atMillis() + SPREAD_MILLIS / 10).count();
        assertTrue(firstTenth <= LIMIT * 2, firstTenth + " connects in the first tenth of the window");
        // concurrency: windows [accept, accept + connect-delay - margin) of at most LIMIT connections overlap
        long window = (CONNECT_DELAY_MILLIS - ACCEPT_MARGIN_MILLIS) * 1_000_000;
        int most = 0;
        for (int i = 0; i < accepts.size(); i++) {
            int overlapping = 0;
            for (int j = 0; j <= i; j++) {
                if (accepts.get(j).atNanos() + window > accepts.get(i).atNanos()) {
                    overlapping++;
                }
            }
            most = Math.max(most, overlapping);
        }
        System.out.printf("staggered start: %d connects over %d ms, at most %d in flight seen by the server, %d by the gateway%n",
                DEVICES, span, most, LIMIT);
        assertTrue(most <= LIMIT, "at most " + LIMIT + " connects in flight, the server saw " + most);

        // the ticks before a device's first cycle are in ess_gaps as missed while connecting, and nothing else is
        List<Object> reasons = db.query("SELECT DISTINCT reason FROM ess_gaps").stream().map(r -> r.get(0)).toList();
        assertTrue(!reasons.isEmpty(), "ticks before the first cycles are recorded");
        for (Object r : reasons) {
            assertTrue(r.toString().startsWith("tick missed: connecting to 127.0.0.1:"), reasons.toString());
        }
    }

    /** The device that connects last by the spread alone. */
    static int latestOffset() {
        int latest = 0;
        for (int i = 1; i < DEVICES; i++) {
            if (StartSpread.offsetMillis(AcceptorSiteResource.id(i), Duration.ofMillis(SPREAD_MILLIS))
                    > StartSpread.offsetMillis(AcceptorSiteResource.id(latest), Duration.ofMillis(SPREAD_MILLIS))) {
                latest = i;
            }
        }
        return latest;
    }

    static double metric(String text, String device) {
        Matcher m = Pattern.compile("(?m)^ess_device_state\\{device=\"" + Pattern.quote(device) + "\"\\} (\\S+)$").matcher(text);
        assertTrue(m.find(), "no ess_device_state of " + device);
        return Double.parseDouble(m.group(1));
    }
}
