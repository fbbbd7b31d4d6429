package org.openess.gateway.archive;

import static org.openess.gateway.archive.CommandFailures.assertFails;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

/** An unknown ess.archive.zone: the message names the key and the value. */
@QuarkusMainTest
@TestProfile(ArchiveCommandBadZoneTest.Profile.class)
class ArchiveCommandBadZoneTest {
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ess.archive.target", "file:target/archive-never", "ess.archive.zone", "Mars/Olympus");
        }
    }

    @Test
    void namesTheWrongKey(QuarkusMainLauncher launcher) {
        assertFails(launcher.launch("archive", "--from", "2026-11-01", "--to", "2026-11-02"),
                "ess.archive.zone: 'Mars/Olympus' is not a time zone");
    }
}
