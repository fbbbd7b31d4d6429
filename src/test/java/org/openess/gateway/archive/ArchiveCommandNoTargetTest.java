package org.openess.gateway.archive;

import static org.openess.gateway.archive.CommandFailures.assertFails;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openess.gateway.testsupport.QuarkusAppTest;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

/** No ess.archive.target: the command refuses to run and names the key. */
@QuarkusMainTest
@TestProfile(ArchiveCommandNoTargetTest.Profile.class)
@QuarkusAppTest
class ArchiveCommandNoTargetTest {
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ess.archive.zone", "Asia/Seoul");
        }
    }

    @Test
    void refusesToRunWithoutATarget(QuarkusMainLauncher launcher) {
        assertFails(launcher.launch("archive", "--date", "2026-11-01"), "ess.archive.target is not set");
    }
}
