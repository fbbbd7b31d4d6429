package org.openess.gateway.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.openess.gateway.acquisition.DeviceHealth;
import org.openess.gateway.acquisition.DeviceState;
import org.openess.gateway.logging.LineBudget;
import org.openess.gateway.modbus.ModbusReadException;
import org.openess.gateway.modbus.ModbusReadException.Kind;
import org.openess.gateway.testsupport.CapturedLog;
import org.openess.gateway.testsupport.UnitTest;

/** The summary line of device state changes, and the state log's budget: device lines, then one summary per interval. */
@UnitTest
class StateChangeSummaryTest {
    static final DeviceHealth CONNECTING = DeviceHealth.connecting(1);

    static DeviceHealth bad(DeviceState state, Kind kind, int code, String error, String read) {
        return new DeviceHealth(state, 1, 0, 1, kind, code, error, read, 1, kind != Kind.NOT_CONNECTED);
    }

    static DeviceHealth timeout(String read) {
        return bad(DeviceState.DEGRADED, Kind.TIMEOUT, 0, "no response to " + read + " from unit 1 within 500 ms", read);
    }

    static final DeviceHealth REFUSED = bad(DeviceState.DEGRADED, Kind.NOT_CONNECTED, 0,
            "not connected to 10.0.0.7:502 (connect to 10.0.0.7:502 failed: Connection refused: /10.0.0.7:502)", "fc3 0+125");
    static final DeviceHealth OK = new DeviceHealth(DeviceState.OK, 2, 2, 0, null, 0, null, null, 0, true);

    @Test
    void oneStateNamesItsCausesMostFirst() {
        StateChangeSummary s = new StateChangeSummary();
        for (int i = 0; i < 398; i++) {
            s.add(timeout("fc4 200+125"));
        }
        for (int i = 0; i < 14; i++) {
            s.add(REFUSED);
        }
        assertEquals("412 devices degraded in the last 10 s: 398 timeouts on fc4 200+125, 14 refused; see /api/devices",
                s.line("10 s", null));
    }

    @Test
    void severalStatesInOneLineWorstFirstAndSingularWords() {
        StateChangeSummary s = new StateChangeSummary();
        s.add(bad(DeviceState.OFFLINE, Kind.TIMEOUT, 0, "no response", "fc3 0+125"));
        s.add(bad(DeviceState.DEGRADED, Kind.EXCEPTION_RESPONSE, 2, "device answered exception 2", "fc4 1000+1"));
        s.add(bad(DeviceState.DEGRADED, Kind.BAD_FRAME, 0, "bad frame", "fc4 0+125"));
        s.add(bad(DeviceState.DEGRADED, Kind.BAD_FRAME, 0, "bad frame", "fc4 0+125"));
        s.add(OK);
        s.add(OK);
        assertEquals("6 devices changed state in the last 10 s: 1 offline (1 timeout on fc3 0+125), 3 degraded (2 bad frames on fc4 0+125, "
                + "1 exception 02 on fc4 1000+1), 2 ok again; see /api/devices", s.line("10 s", null));
        assertEquals("all 6 device(s) through their first cycle: 1 offline (1 timeout on fc3 0+125), 3 degraded (2 bad frames on fc4 0+125, "
                + "1 exception 02 on fc4 1000+1), 2 ok; see /api/devices", s.line(null, "all 6 device(s) through their first cycle", true));
        StateChangeSummary one = new StateChangeSummary();
        one.add(OK);
        assertEquals("1 device ok again in the last 10 s; see /api/devices", one.line("10 s", null));
        StateChangeSummary noConnection = new StateChangeSummary();
        noConnection.add(bad(DeviceState.OFFLINE, Kind.NOT_CONNECTED, 0, "not connected to h:1 (connection closed by h:1)", "fc3 0+1"));
        assertEquals("1 device offline in the last 1 s: 1 not connected; see /api/devices", noConnection.line("1 s", null));
    }

    @Test
    void theStateLogWritesItsBudgetOfDeviceLinesThenOneSummaryPerInterval() {
        AtomicLong now = new AtomicLong(1_000_000);
        LineBudget budget = new LineBudget(20, Duration.ofSeconds(10), now::get);
        List<String> ids = java.util.stream.IntStream.range(0, 500).mapToObj(i -> "d" + i).toList();
        StateLog log = new StateLog(budget, Duration.ofMinutes(5), ids, now.get());
        try (CapturedLog captured = CapturedLog.start()) {
            for (String id : ids) {
                log.stateChanged(id, CONNECTING, i(id) < 400 ? timeout("fc4 200+125") : REFUSED, now.get());
            }
            // still failing the same way: not worth a line
            for (String id : ids) {
                log.stateChanged(id, i(id) < 400 ? timeout("fc4 200+125") : REFUSED, i(id) < 400 ? timeout("fc4 200+125") : REFUSED,
                        now.get());
            }
            now.addAndGet(10_000);
            log.flush(now.get());
            List<String> lines = captured.lines().stream().filter(l -> l.contains("DeviceStateLog")).toList();
            // 20 device lines, the census once every device is through its first cycle, one summary
            assertEquals(22, lines.size(), String.join("\n", lines));
            assertEquals(20, lines.stream().filter(l -> l.contains("is degraded after its first cycle")).count());
            assertTrue(lines.get(21).endsWith("480 devices degraded in the last 10 s: 380 timeouts on fc4 200+125, 100 refused; "
                    + "see /api/devices"), lines.get(21));
            assertTrue(captured.all().contains("all 500 device(s) through their first cycle 0 s after the start: 500 degraded"
                    + " (400 timeouts on fc4 200+125, 100 refused); see /api/devices"), captured.all());
        }
    }

    static int i(String id) {
        return Integer.parseInt(id.substring(1));
    }

    @Test
    void causeOfAnExceptionResponse() {
        DeviceHealth h = bad(DeviceState.DEGRADED, Kind.EXCEPTION_RESPONSE, ModbusReadException.GATEWAY_TARGET_FAILED, "x", "fc3 0+1");
        assertEquals("exception 11 on fc3 0+1", StateChangeSummary.cause(h).words(2));
    }
}
