package org.openess.gateway.archive;

import static org.openess.gateway.archive.CommandFailures.assertFails;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openess.gateway.testsupport.QuarkusAppTest;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

/** A gs:// target whose endpoint does not answer: exit 1 saying Cloud Storage cannot be reached. */
@QuarkusMainTest
@TestProfile(ArchiveCommandUnreachableBucketTest.Profile.class)
@QuarkusAppTest
class ArchiveCommandUnreachableBucketTest {
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            int closed;
            try (ServerSocket s = new ServerSocket(0)) {
                closed = s.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return Map.of("ess.archive.target", "gs://ess-archive/prod", "ess.archive.gcs.endpoint", "http://127.0.0.1:" + closed,
                    "ess.archive.gcs.max-attempts", "2", "ess.archive.gcs.timeout", "1s", "ess.archive.gcs.initial-retry-delay", "10ms",
                    "ess.archive.gcs.max-retry-delay", "10ms");
        }
    }

    @Test
    void saysTheBucketCannotBeReached(QuarkusMainLauncher launcher) {
        assertFails(launcher.launch("archive", "--date", "2026-11-01"), "gs://ess-archive: Cloud Storage unreachable");
    }
}
