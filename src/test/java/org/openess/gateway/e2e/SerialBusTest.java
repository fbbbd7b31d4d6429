package org.openess.gateway.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openess.gateway.testsupport.Await.until;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openess.gateway.acquisition.Acquisition;
import org.openess.gateway.acquisition.BusStatus;
import org.openess.gateway.profile.FunctionCode;
import org.openess.gateway.service.GatewayService;
import org.openess.gateway.simulator.SimulatorServer;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.InteropToolsTest;
import org.openess.gateway.testsupport.TestDatabase;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Modbus RTU on serial lines end to end, into TimescaleDB: two socat pseudo-terminal pairs, at
 * 9,600 and 115,200 baud, each with three devices configured on one line (four keys each:
 * transport, serial-port, baud-rate, unit-id) of which two answer and one is silent. The two
 * that answer store every tick with exactly the values served; every tick of the silent one is in
 * ess_gaps; the line unplugged (the link deleted) and plugged back is survived with a reopen, and
 * the other line does not notice. Needs socat (scripts/test.sh installs it).
 */
@QuarkusTest
@WithTestResource(SerialBusResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DbTest
@InteropToolsTest
class SerialBusTest {
    static final String TABLE = "rtu_meter";

    @Inject
    GatewayService gateway;
    @Inject
    Acquisition acquisition;

    @BeforeEach
    void running() {
        if (!gateway.isRunning()) {
            gateway.start();
        }
    }

    static TestDatabase db() {
        return SerialBusResource.db;
    }

    @Test
    @Order(1)
    void everyTickOfTheAnsweringDevicesIsStoredExactlyAndTheSilentOnesAreGaps() {
        long from = (System.currentTimeMillis() / 1000 + 3) * 1000;
        long to = from + 9000;
        until(Duration.ofSeconds(40), () -> ticks("a1", to + 1000, to + 60_000).size() > 0
                && ticks("b1", to + 1000, to + 60_000).size() > 0);
        until(Duration.ofSeconds(10), () -> gapTicks("a3", from, to).size() == 10 && gapTicks("b3", from, to).size() == 10);

        for (String line : List.of("a", "b")) {
            SimulatorServer.ServedLog served = SerialBusResource.LINES.get(line).served();
            for (int unit = 1; unit <= 2; unit++) {
                String id = line + unit;
                List<Long> stored = ticks(id, from, to);
                List<Long> stalls = stalledTicks(id, from, to);
                assertEquals(List.of(), otherGapReasons(id, from, to), id + ": gaps other than a stalled machine's");
                assertEquals(10, stored.size() + stalls.size(), id + ": ticks stored " + stored + ", lost to machine stalls " + stalls);
                int compared = 0;
                for (long tick : stored) {
                    compared += compareRow(id, tick, servedDuring(served.snapshot(), unit - 1, tick));
                }
                assertEquals(8 * stored.size(), compared, id);
                System.out.printf("SerialBusTest: %s at %d baud: %d of 10 ticks stored, %d values equal to the served registers, "
                        + "%d ticks lost to machine stalls%n", id, SerialBusResource.LINES.get(line).baudRate(), stored.size(), compared,
                        stalls.size());
            }
            String silent = line + "3";
            assertEquals(List.of(), ticks(silent, from, to), silent + " stored rows");
            assertEquals(10, gapTicks(silent, from, to).size(), silent + ": every tick in ess_gaps");
            List<String> reasons = gapReasons(silent, from, to);
            assertTrue(reasons.stream().anyMatch(r -> r.startsWith("tick skipped: unit 3 on an RTU bus stopped answering")),
                    silent + " backed off: " + reasons);
            System.out.printf("SerialBusTest: %s (silent) gap reasons %s%n", silent, reasons);
        }

        List<BusStatus> buses = acquisition.buses();
        assertEquals(2, buses.size(), buses.toString());
        for (BusStatus bus : buses) {
            assertTrue(bus.connected(), bus.toString());
            assertEquals("rtu", bus.transport());
            assertFalse(bus.overBudget(), bus.toString());
            assertTrue(bus.busTimePerCycleMillis() > 0 && bus.busTimePerCycleMillis() < 1000, bus.toString());
            assertEquals(0, bus.crcErrors(), bus.toString());
            System.out.printf("SerialBusTest: bus %s (%s): %.1f ms of bus time per cycle for 3 devices (one silent), utilisation %.3f, "
                    + "%d requests, %d timeouts%n", bus.name(), bus.serial(), bus.busTimePerCycleMillis(), bus.utilisation(),
                    bus.requests(), bus.timeouts());
        }
        String a = SerialBusResource.LINES.get("a").pty().gateway().toString();
        given().get("/api/status").then().statusCode(200)
                .body("buses.find { it.name == '" + a + "' }.serial", org.hamcrest.Matchers.is("9600 8E1"))
                .body("buses.find { it.name == '" + a + "' }.devices", org.hamcrest.Matchers.is(List.of("a1", "a2", "a3")));
        given().get("/api/devices").then().statusCode(200)
                .body("find { it.id == 'a1' }.transport", org.hamcrest.Matchers.is("rtu"))
                .body("find { it.id == 'a1' }.bus", org.hamcrest.Matchers.is(a));
    }

    @Test
    @Order(2)
    void aLineUnpluggedAndPluggedBackIsReopenedAndTheOtherLineDoesNotNotice() {
        SerialBusResource.Line a = SerialBusResource.LINES.get("a");
        until(Duration.ofSeconds(20), () -> bus(a).connected());
        long opensBefore = a.end().opens.get();
        long unplugged = System.currentTimeMillis();
        a.pty().unplug();
        until(Duration.ofSeconds(10), () -> !bus(a).connected());
        String error = bus(a).lastError();
        assertTrue(error != null && error.contains(a.pty().gateway().toString()), error);
        sleep(5000);
        long replugged = System.currentTimeMillis();
        a.pty().plugIn();
        long after = (replugged / 1000 + 1) * 1000;
        until(Duration.ofSeconds(30), () -> ticks("a1", after, after + 60_000).size() >= 3
                && ticks("a2", after, after + 60_000).size() >= 3);
        assertTrue(bus(a).connected());
        assertTrue(a.end().opens.get() > opensBefore, "the device end opened the new pty");
        // while unplugged, a1's ticks are gaps
        long outageFrom = (unplugged / 1000 + 2) * 1000;
        long outageTo = (replugged / 1000 - 1) * 1000;
        assertTrue(gapTicks("a1", outageFrom, outageTo).size() >= 1, "gaps while unplugged");
        // the other line kept every tick meanwhile
        List<Long> b1 = ticks("b1", outageFrom, outageTo);
        List<Long> stalls = stalledTicks("b1", outageFrom, outageTo);
        assertEquals((outageTo - outageFrom) / 1000 + 1, b1.size() + stalls.size(), "b1 during a's outage: " + b1);
        System.out.printf("SerialBusTest: line a unplugged for %d ms; reopened (the device end opened it %d times); b1 stored %d of %d "
                + "ticks meanwhile%n", replugged - unplugged, a.end().opens.get(), b1.size(), (outageTo - outageFrom) / 1000 + 1);
    }

    BusStatus bus(SerialBusResource.Line line) {
        String name = line.pty().gateway().toString();
        return acquisition.buses().stream().filter(b -> b.name().equals(name)).findFirst().orElseThrow();
    }

    static List<Long> ticks(String site, long from, long to) {
        return longs("SELECT (extract(epoch FROM \"TIMESTAMP\") * 1000)::bigint FROM " + TABLE + " WHERE \"SITE_ID\" = '" + site
                + "' AND \"TIMESTAMP\" BETWEEN to_timestamp(" + from + " / 1000.0) AND to_timestamp(" + to + " / 1000.0) ORDER BY 1");
    }

    static List<Long> gapTicks(String site, long from, long to) {
        return new ArrayList<>(new TreeSet<>(longs("SELECT (extract(epoch FROM ts) * 1000)::bigint FROM ess_gaps WHERE site_id = '" + site
                + "' AND table_name = '" + TABLE + "' AND ts BETWEEN to_timestamp(" + from + " / 1000.0) AND to_timestamp(" + to
                + " / 1000.0)")));
    }

    static List<String> gapReasons(String site, long from, long to) {
        return db().query("SELECT DISTINCT reason FROM ess_gaps WHERE site_id = '" + site + "' AND ts BETWEEN to_timestamp(" + from
                + " / 1000.0) AND to_timestamp(" + to + " / 1000.0) ORDER BY 1").stream().map(r -> (String) r.get(0)).toList();
    }

    static List<String> otherGapReasons(String site, long from, long to) {
        return gapReasons(site, from, to).stream().filter(r -> !r.equals("tick missed: the gateway was stalled")).toList();
    }

    static List<Long> stalledTicks(String site, long from, long to) {
        return longs("SELECT (extract(epoch FROM ts) * 1000)::bigint FROM ess_gaps WHERE site_id = '" + site
                + "' AND reason = 'tick missed: the gateway was stalled' AND ts BETWEEN to_timestamp(" + from
                + " / 1000.0) AND to_timestamp(" + to + " / 1000.0)");
    }

    static List<Long> longs(String sql) {
        return db().query(sql).stream().map(r -> ((Number) r.get(0)).longValue()).toList();
    }

    /** Holding registers the line served device {@code device} during the cycle of {@code tick}. */
    static Map<Integer, Integer> servedDuring(List<SimulatorServer.Served> served, int device, long tick) {
        Map<Integer, Integer> registers = new HashMap<>();
        for (SimulatorServer.Served s : served) {
            if (s.device() == device && s.function() == FunctionCode.HOLDING_REGISTERS && s.atMillis() >= tick && s.atMillis() < tick + 1000) {
                for (int i = 0; i < s.values().length; i++) {
                    registers.put(s.start() + i, s.values()[i]);
                }
            }
        }
        return registers;
    }

    static int compareRow(String site, long tick, Map<Integer, Integer> registers) {
        assertEquals(8, registers.size(), site + " at " + tick + ": served " + registers);
        List<List<Object>> rows = db().query("SELECT " + String.join(", ", java.util.Arrays.stream(SerialBusResource.COLUMNS)
                .map(c -> "\"" + c + "\"").toList()) + " FROM " + TABLE + " WHERE \"SITE_ID\" = '" + site
                + "' AND \"TIMESTAMP\" = to_timestamp(" + tick + " / 1000.0)");
        assertEquals(1, rows.size(), site + " at " + tick);
        for (int i = 0; i < SerialBusResource.COLUMNS.length; i++) {
            assertEquals(registers.get(i).longValue(), ((Number) rows.get(0).get(i)).longValue(),
                    site + " " + SerialBusResource.COLUMNS[i] + " at " + tick);
        }
        return SerialBusResource.COLUMNS.length;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
