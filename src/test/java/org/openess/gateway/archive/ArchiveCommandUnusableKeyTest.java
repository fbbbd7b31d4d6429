package org.openess.gateway.archive;

import static org.openess.gateway.archive.CommandFailures.assertFails;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openess.gateway.testsupport.QuarkusAppTest;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

/** ess.archive.gcs.credentials-file is JSON but no usable credential. */
@QuarkusMainTest
@TestProfile(ArchiveCommandUnusableKeyTest.Profile.class)
@QuarkusAppTest
class ArchiveCommandUnusableKeyTest {
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path key = Files.createTempFile("not-a-key", ".json");
                Files.writeString(key, "{\"type\": \"authorized_user\"}");
                return Map.of("ess.archive.target", "gs://ess-archive/prod", "ess.archive.gcs.credentials-file", key.toString());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void saysTheKeyFileIsNotACredential(QuarkusMainLauncher launcher) {
        assertFails(launcher.launch("archive", "--date", "2026-11-01"), "is not a usable Google credentials JSON");
    }
}
