package org.openess.gateway.alarm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.openess.gateway.decode.Alarm;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.decode.DecodedRow;
import org.openess.gateway.profile.Profile;
import org.openess.gateway.plan.PlanLimits;
import org.openess.gateway.profile.ProtectionSection;
import org.openess.gateway.profile.TableLayout;
import org.openess.gateway.sunspec.DiscoveredModel;
import org.openess.gateway.sunspec.SunSpecEventBits;
import org.openess.gateway.sunspec.SunSpecLayout;
import org.openess.gateway.sunspec.SunSpecModel;
import org.openess.gateway.sunspec.SunSpecProfiles;
import org.openess.gateway.sunspec.SunSpecModels;
import org.openess.gateway.testsupport.UnitTest;

/**
 * The built-in 802 model's Evt1 bits as rules on a {@code sunspec_battery} row: each set bit is its
 * own alarm (symbol as code, level from the name) with the default on/off delays; a bit that
 * clears ends only its own alarm; a NULL Evt1 ("not implemented") holds the state.
 */
@UnitTest
class SunSpecBatteryAlarmsTest {
    // the layouts discovery gives a device with models 1 and 802 (the real compile path, not a hand-made table)
    static final SunSpecModels MODELS = SunSpecModels.builtin();
    final SunSpecProfiles.Compiled compiled = new SunSpecProfiles().compile(new SunSpecLayout(40000,
            List.of(discovered(1, 40002), discovered(802, 40002 + MODELS.get(1).group().pointRegisters())), List.of()),
            PlanLimits.DEFAULT);
    final Profile profile = compiled.profile();
    final TableLayout layout = compiled.layouts().get("sunspec_battery");
    final RecordedAlarms recorded = new RecordedAlarms();
    final List<Alarm> raised = recorded.raised;
    final List<Alarm> ended = recorded.ended;
    final DeviceAlarms alarms = new DeviceAlarms("bat", new RuleSet(profile, SunSpecEventBits.of(MODELS)), recorded);

    void tick(long s, Long evt1) {
        DecodedRow r = new DecodedRow(layout, "bat", s * 1000);
        r.setLong(0, 1); // MODEL_INDEX
        int col = layout.columns().stream().map(TableLayout.Column::name).toList().indexOf("Evt1");
        if (evt1 == null) {
            r.setNull(col);
        } else {
            r.setLong(col, evt1);
        }
        alarms.evaluate(new CycleOutput("bat", s * 1000, List.of(r), List.of(), List.of()));
    }

    @Test
    void eachSetBitRaisesItsSymbolAndEndsWithItsBit() {
        assertEquals(ProtectionSection.DEFAULT_ON_DELAY_SECONDS, profile.protection().onDelaySeconds());
        long overTemp = (1L << 1) | (1L << 2); // OVER_TEMP_ALARM + OVER_TEMP_WARNING
        for (long s = 0; s < 3; s++) {
            tick(s, overTemp);
        }
        assertEquals(List.of(), raised, "before the 3 s on-delay");
        tick(3, overTemp);
        assertEquals(List.of("OVER_TEMP_ALARM/fault", "OVER_TEMP_WARNING/warning"),
                raised.stream().map(a -> a.code() + "/" + a.level()).toList());
        Alarm fault = raised.get(0);
        assertEquals("Evt1", fault.column());
        assertEquals(6.0, fault.value());
        assertEquals(null, fault.limit());
        assertEquals("bat sunspec_battery: Evt1 bit 1 OVER_TEMP_ALARM is set (Evt1 = 6)", fault.message());

        for (long s = 4; s < 20; s++) {
            tick(s, null); // not implemented / failed read: no evidence, nothing ends
        }
        assertEquals(List.of(), ended);
        for (long s = 20; s < 30; s++) {
            tick(s, 1L << 2); // the alarm bit clears, the warning stays
        }
        assertEquals(List.of(), ended, "before the 10 s off-delay");
        tick(30, 1L << 2);
        assertEquals(List.of("OVER_TEMP_ALARM"), ended.stream().map(Alarm::code).toList());
        assertEquals(fault.id(), ended.get(0).id());
        assertEquals(20_000, ended.get(0).endMillis());
        for (long s = 31; s <= 41; s++) {
            tick(s, 0L);
        }
        assertEquals(List.of("OVER_TEMP_ALARM", "OVER_TEMP_WARNING"), ended.stream().map(Alarm::code).toList());
        assertEquals(2, raised.size());
    }

    @Test
    void otherTablesAndUnnamedBitsRaiseNothing() {
        for (long s = 0; s < 10; s++) {
            tick(s, 1L << 27 | 1L << 31); // RESERVED_1 and a bit 802 does not name
        }
        assertEquals(List.of(), raised);
        RuleSet rules = new RuleSet(profile, SunSpecEventBits.of(MODELS));
        assertEquals(List.of(), rules.checks(compiled.layouts().get("sunspec_common")));
        assertEquals(29, rules.checks(layout).size());
    }

    private static DiscoveredModel discovered(int id, int address) {
        SunSpecModel m = MODELS.get(id);
        return new DiscoveredModel(m, 1, address, m.group().pointRegisters() - 2, List.of());
    }
}
