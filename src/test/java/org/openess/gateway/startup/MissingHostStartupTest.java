package org.openess.gateway.startup;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openess.gateway.testsupport.QuarkusAppTest;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;

/** A device without a host stops start-up; the message names the missing key. */
@QuarkusMainTest
@TestProfile(MissingHostStartupTest.Config.class)
@QuarkusAppTest
class MissingHostStartupTest {
    public static class Config implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ess.devices.x.port", "1502");
        }
    }

    @Test
    @Launch(value = {}, exitCode = 1)
    void namesTheMissingKey(LaunchResult r) {
        String out = r.getOutput() + "\n" + r.getErrorOutput();
        assertTrue(out.contains("ess.devices.x.host"), out);
    }
}
