package org.openess.gateway.alarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.openess.gateway.profile.Profile;
import org.openess.gateway.profile.ProfileException;
import org.openess.gateway.profile.ProfileLoader;
import org.openess.gateway.profile.ProtectionSection;
import org.openess.gateway.testsupport.UnitTest;

/** The profile's protection: section: OpenESS defaults, overrides by code, and clear errors. */
@UnitTest
class ProtectionSectionTest {
    static final String BASE = """
            name: t
            areas: [{name: A, function: input-registers, start: 0, count: 20}]
            tables:
              - name: rack
                group: {column: RACK_ID, count: 2, first: 1, stride: 5}
                points:
                  - {column: RACK_MAX_CELL_VOLTAGE, address: 0, type: uint16, scale: 0.001}
                  - {column: RACK_STATUS_FOR_FAULT, address: 1, type: uint16}
            """;

    static Profile parse(String extra) {
        return ProfileLoader.parse("p.yaml", (BASE + extra).getBytes(StandardCharsets.UTF_8));
    }

    static String error(String extra) {
        return assertThrows(ProfileException.class, () -> parse(extra)).getMessage();
    }

    @Test
    void defaultsApplyToTheColumnsTheProfileHas() {
        ProtectionSection p = parse("").protection();
        assertEquals(List.of("CELL_OVER_VOLTAGE"), p.limits().stream().map(ProtectionSection.Limit::code).toList());
        assertEquals(4.05, p.limits().get(0).warning());
        assertEquals(4.10, p.limits().get(0).fault());
        assertEquals(List.of("RACK_FAULT_FLAG"), p.flags().stream().map(ProtectionSection.Flag::code).toList());
        assertEquals(3.0, p.onDelaySeconds());
        assertEquals(10.0, p.offDelaySeconds());
        // operation1 gets the whole OpenESS map
        ProtectionSection o = ProfileLoader.load("operation1").protection();
        assertEquals(List.of("CELL_OVER_VOLTAGE", "CELL_UNDER_VOLTAGE", "CELL_VOLTAGE_GAP", "CELL_OVER_TEMPERATURE",
                "CELL_UNDER_TEMPERATURE", "CELL_TEMPERATURE_GAP", "RACK_OVER_CURRENT"),
                o.limits().stream().map(ProtectionSection.Limit::code).toList());
        assertEquals(4, o.flags().size());
    }

    @Test
    void aProfileOverridesThresholdsByCodeOrDropsThem() {
        ProtectionSection p = parse("""
                protection:
                  off-delay: 30
                  limits:
                    - {code: CELL_OVER_VOLTAGE, warning: 4.15, fault: 4.2}
                  flags:
                    - {code: RACK_FAULT_FLAG, enabled: false}
                """).protection();
        assertEquals(4.15, p.limits().get(0).warning());
        assertEquals(4.2, p.limits().get(0).fault());
        assertEquals("RACK_MAX_CELL_VOLTAGE", p.limits().get(0).column());
        assertEquals(0.02, p.limits().get(0).deadband());
        assertEquals(List.of(), p.flags());
        assertEquals(30.0, p.offDelaySeconds());
        assertEquals(List.of(), parse("protection: {defaults: none}\n").protection().limits());
    }

    @Test
    void mistakesNameTheEntryAndWhatIsWrong() {
        assertEquals("p.yaml: protection limit 'X': no table 'bank' in this profile (tables: [rack])",
                error("protection:\n  limits:\n    - {code: X, table: bank, column: A, when: above, warning: 1}\n"));
        assertEquals("p.yaml: protection limit 'X': table 'rack' has no point column 'NOPE'",
                error("protection:\n  limits:\n    - {code: X, table: rack, column: NOPE, when: above, warning: 1}\n"));
        assertEquals("p.yaml: protection limit 'CELL_OVER_VOLTAGE': the fault limit 4.0 must lie beyond the warning limit 4.05 "
                + "(fault >= warning for 'above')", error("protection:\n  limits:\n    - {code: CELL_OVER_VOLTAGE, fault: 4.0}\n"));
        assertEquals("p.yaml: protection limit 'X': 'when' must be above, below or magnitude-above, got 'over'",
                error("protection:\n  limits:\n    - {code: X, table: rack, column: RACK_MAX_CELL_VOLTAGE, when: over, warning: 1}\n"));
        assertEquals("p.yaml: protection flag 'F': 'level' must be warning or fault, got 'critical'",
                error("protection:\n  flags:\n    - {code: F, table: rack, column: RACK_STATUS_FOR_FAULT, level: critical}\n"));
        assertEquals("p.yaml: protection.on-delay: must be 0..3600 seconds, got -1.0", error("protection:\n  on-delay: -1\n"));
        assertEquals("p.yaml: protection: 'defaults' must be openess or none, got 'keti'", error("protection:\n  defaults: keti\n"));
        assertEquals("p.yaml: protection.limits[0]: 'code' is required: upper-case letters, digits and _ (e.g. CELL_OVER_VOLTAGE), "
                + "got 'low volts'", error("protection:\n  limits:\n    - {code: low volts}\n"));
        assertEquals("p.yaml: protection limit 'X': 'deadband' must be 0 or more, got -0.5",
                error("protection:\n  limits:\n    - {code: X, table: rack, column: RACK_MAX_CELL_VOLTAGE, when: above, warning: 1, deadband: -0.5}\n"));
        // an unknown key is caught by the parser, with the keys that are allowed
        String unknown = error("protection:\n  ondelay: 3\n");
        assertEquals(true, unknown.contains("unknown key 'ondelay' at protection"), unknown);
    }
}
