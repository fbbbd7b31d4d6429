package org.openess.gateway.alarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.openess.gateway.decode.Alarm;
import org.openess.gateway.decode.CycleDecoder;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.decode.DecodedRow;
import org.openess.gateway.profile.Profile;
import org.openess.gateway.profile.ProfileLoader;
import org.openess.gateway.profile.TableLayout;
import org.openess.gateway.testsupport.UnitTest;

/** The alarm state machine on decoded rows, tick by tick: delays, deadband, held state on NULL, levels, flags. */
@UnitTest
class DeviceAlarmsTest {
    static final String YAML = """
            name: t
            areas: [{name: A, function: input-registers, start: 0, count: 20}]
            tables:
              - name: rack
                constants: {BANK_ID: 1}
                group: {column: RACK_ID, count: 2, first: 1, stride: 5}
                points:
                  - {column: VMAX, address: 0, type: uint16, scale: 0.001, unit: V}
                  - {column: TMIN, address: 1, type: int16, scale: 0.1}
                  - {column: I, address: 2, type: int16, scale: 0.1}
                  - {column: WARN, address: 3, type: uint16}
            protection:
              defaults: none
              on-delay: 3
              off-delay: 5
              limits:
                - {code: OVER_V, table: rack, column: VMAX, when: above, warning: 4.05, fault: 4.10, deadband: 0.02}
                - {code: UNDER_T, table: rack, column: TMIN, when: below, warning: 0, fault: -10, deadband: 1}
                - {code: OVER_I, table: rack, column: I, when: magnitude-above, warning: 120, deadband: 5}
              flags:
                - {code: WARN_FLAG, table: rack, column: WARN, level: warning}
            """;

    final Profile profile = ProfileLoader.parse("test.yaml", YAML.getBytes(StandardCharsets.UTF_8));
    final TableLayout layout = CycleDecoder.layoutsOf(profile).get("rack");
    final RecordedAlarms recorded = new RecordedAlarms();
    final List<Alarm> raised = recorded.raised;
    final List<Alarm> ended = recorded.ended;
    final DeviceAlarms alarms = new DeviceAlarms("s1", new RuleSet(profile), recorded);

    /** One tick (second {@code s}) where rack 1 has the given values (null = NULL) and rack 2 is normal. */
    void tick(long s, Double vmax, Double tmin, Double current, Long warn) {
        List<DecodedRow> rows = new ArrayList<>();
        rows.add(row(s, 1, vmax, tmin, current, warn));
        rows.add(row(s, 2, 3.7, 25.0, 10.0, 0L));
        alarms.evaluate(new CycleOutput("s1", s * 1000, rows, List.of(), List.of()));
    }

    DecodedRow row(long s, int rack, Double vmax, Double tmin, Double current, Long warn) {
        DecodedRow r = new DecodedRow(layout, "s1", s * 1000);
        r.setLong(0, 1);
        r.setLong(1, rack);
        set(r, 2, vmax);
        set(r, 3, tmin);
        set(r, 4, current);
        if (warn == null) {
            r.setNull(5);
        } else {
            r.setLong(5, warn);
        }
        return r;
    }

    static void set(DecodedRow r, int col, Double v) {
        if (v == null) {
            r.setNull(col);
        } else {
            r.setDouble(col, v);
        }
    }

    void normal(long s) {
        tick(s, 3.7, 25.0, 10.0, 0L);
    }

    @Test
    void raisesAfterTheOnDelayHoversWithoutFlappingAndEndsAfterTheOffDelay() {
        normal(0);
        tick(1, 4.06, 25.0, 10.0, 0L); // first tick beyond the warning limit
        tick(2, 4.07, 25.0, 10.0, 0L);
        tick(3, 4.06, 25.0, 10.0, 0L);
        assertEquals(0, raised.size(), "raised before the 3 s on-delay");
        tick(4, 4.08, 25.0, 10.0, 0L);
        assertEquals(1, raised.size());
        Alarm a = raised.get(0);
        assertEquals(List.of("OVER_V", "warning", 1, 1, 1000L), List.of(a.code(), a.level(), a.bank(), a.rack(), a.startMillis()));
        assertEquals(4.08, a.value());
        assertEquals(4.05, a.limit());
        assertEquals("s1 bank 1 rack 1: VMAX 4.08 V above the warning limit 4.05 V", a.message());
        // hovering at the limit: below it but inside the 0.02 deadband, then above again, for a minute
        for (long s = 5; s < 65; s++) {
            tick(s, s % 2 == 0 ? 4.04 : 4.052, 25.0, 10.0, 0L);
        }
        assertEquals(1, raised.size(), "flapped");
        assertEquals(0, ended.size(), "flapped");
        // back inside the deadband: the off-delay runs, is interrupted once, then completes
        tick(65, 4.0, 25.0, 10.0, 0L);
        tick(66, 4.0, 25.0, 10.0, 0L);
        tick(67, 4.04, 25.0, 10.0, 0L); // in the deadband again: starts over
        for (long s = 68; s <= 72; s++) {
            tick(s, 4.0, 25.0, 10.0, 0L);
        }
        assertEquals(0, ended.size(), "ended before 5 s below limit - deadband");
        tick(73, 4.0, 25.0, 10.0, 0L);
        assertEquals(1, ended.size());
        Alarm e = ended.get(0);
        assertEquals(a.id(), e.id());
        assertEquals(68_000, e.endMillis(), "the end is the first tick of the run that outlasted the off-delay");
        assertEquals(4.08, e.peak());
    }

    @Test
    void aRunShorterThanTheOnDelayRaisesNothing() {
        for (long s = 0; s < 60; s++) {
            tick(s, s % 3 == 0 ? 3.9 : 4.2, 25.0, 10.0, 0L); // two seconds above, one below, for a minute
        }
        assertEquals(List.of(), raised);
    }

    @Test
    void beyondTheFaultLimitBothLevelsAreActiveAndEndSeparately() {
        for (long s = 0; s <= 3; s++) {
            tick(s, 4.2, 25.0, 10.0, 0L);
        }
        assertEquals(List.of("warning", "fault"), raised.stream().map(Alarm::level).toList());
        for (long s = 4; s <= 9; s++) {
            tick(s, 4.07, 25.0, 10.0, 0L); // below fault - deadband, still above warning
        }
        assertEquals(List.of("fault"), ended.stream().map(Alarm::level).toList());
    }

    @Test
    void nullValuesHoldTheStateInsteadOfEndingIt() {
        for (long s = 0; s <= 3; s++) {
            tick(s, 4.2, 25.0, 10.0, 0L);
        }
        assertEquals(2, raised.size());
        for (long s = 4; s < 30; s++) {
            tick(s, null, 25.0, 10.0, 0L);
        }
        assertEquals(0, ended.size());
    }

    @Test
    void belowMagnitudeAndFlagRules() {
        for (long s = 0; s <= 3; s++) {
            tick(s, 3.7, -11.0, -130.0, 1L);
        }
        assertEquals(List.of("UNDER_T/warning", "UNDER_T/fault", "OVER_I/warning", "WARN_FLAG/warning"),
                raised.stream().map(a -> a.code() + "/" + a.level()).toList());
        assertTrue(raised.stream().noneMatch(a -> a.rack() == 2), "rack 2 is normal");
        assertEquals("s1 bank 1 rack 1: device flag WARN is set (1)", raised.get(3).message());
        // -0.5 °C is above 0 but inside the 1 °C deadband: under-temperature warning stays; -118 A is inside I's 5 A deadband
        for (long s = 4; s <= 10; s++) {
            tick(s, 3.7, -0.5, -118.0, 0L);
        }
        assertEquals(List.of("UNDER_T/fault", "WARN_FLAG/warning"), ended.stream().map(a -> a.code() + "/" + a.level()).toList());
        for (long s = 11; s <= 16; s++) {
            tick(s, 3.7, 2.0, -100.0, 0L);
        }
        assertEquals(4, ended.size());
    }
}
