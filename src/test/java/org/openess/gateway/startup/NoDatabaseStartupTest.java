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

/** Devices but no database (and no embedded one): start-up stops and says which key to set. */
@QuarkusMainTest
@TestProfile(NoDatabaseStartupTest.Config.class)
@QuarkusAppTest
class NoDatabaseStartupTest {
    public static class Config implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ess.devices.x.host", "127.0.0.1");
        }
    }

    @Test
    @Launch(value = {}, exitCode = 1)
    void saysWhichKeyToSet(LaunchResult r) {
        String out = r.getOutput() + "\n" + r.getErrorOutput();
        assertTrue(out.contains("error: no database configured: set quarkus.datasource.reactive.url"), out);
    }
}
