package org.openess.gateway.startup;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openess.gateway.testsupport.QuarkusAppTest;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;

/** A profile with overlapping points stops start-up; the message names the device, the key, the file and both points. */
@QuarkusMainTest
@TestProfile(OverlappingProfileStartupTest.Config.class)
@QuarkusAppTest
class OverlappingProfileStartupTest {
    public static class Config implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ess.devices.x.host", "127.0.0.1", "ess.devices.x.profile", "src/test/resources/startup/overlapping.yaml");
        }
    }

    @Test
    @Launch(value = {}, exitCode = 1)
    void namesTheDeviceTheFileAndBothPoints(LaunchResult r) {
        String out = r.getOutput() + "\n" + r.getErrorOutput();
        assertTrue(out.contains("error: device 'x' (ess.devices.\"x\".profile): src/test/resources/startup/overlapping.yaml: table 'bank' point 'SOC': address 1 (holding-registers) overlaps table 'bank' point 'POWER'"), out);
        // checked while Quarkus starts, before the HTTP listener opens, and said through the logger too
        assertFalse(out.contains("Listening on"), out);
        assertTrue(out.contains("ERROR") && out.contains("cannot start: device 'x'"), out);
    }
}
