package org.openess.gateway.archive;

import static org.openess.gateway.archive.CommandFailures.assertFails;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openess.gateway.testsupport.QuarkusAppTest;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

/** ess.archive.gcs.credentials-file names a file that does not exist. */
@QuarkusMainTest
@TestProfile(ArchiveCommandMissingKeyFileTest.Profile.class)
@QuarkusAppTest
class ArchiveCommandMissingKeyFileTest {
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ess.archive.target", "gs://ess-archive/prod", "ess.archive.gcs.credentials-file",
                    "/nonexistent/ess-archive-key.json");
        }
    }

    @Test
    void saysTheKeyFileCannotBeRead(QuarkusMainLauncher launcher) {
        assertFails(launcher.launch("archive", "--date", "2026-11-01"),
                "ess.archive.gcs.credentials-file: cannot read '/nonexistent/ess-archive-key.json'");
    }
}
