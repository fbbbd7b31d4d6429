package org.openess.gateway.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

/**
 * Settings the command cannot work with: each run ends with exit code 1 and one line that says
 * what is wrong and which key to fix. One nested class per configuration.
 */
class ArchiveCommandConfigTest {

    static void assertFails(LaunchResult r, String message) {
        assertEquals(1, r.exitCode(), r.getOutput() + r.getErrorOutput());
        assertTrue(r.getErrorOutput().contains(message), "expected '" + message + "' in: " + r.getErrorOutput());
    }

    @QuarkusMainTest
    @TestProfile(NoTarget.Profile.class)
    static class NoTarget {
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

    @QuarkusMainTest
    @TestProfile(BadValues.Profile.class)
    static class BadValues {
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

    @QuarkusMainTest
    @TestProfile(UnreachableBucket.Profile.class)
    static class UnreachableBucket {
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
                        "ess.archive.gcs.max-attempts", "2", "ess.archive.gcs.timeout", "1s");
            }
        }

        @Test
        void saysTheBucketCannotBeReached(QuarkusMainLauncher launcher) {
            assertFails(launcher.launch("archive", "--date", "2026-11-01"), "gs://ess-archive: Cloud Storage unreachable");
        }
    }

    @QuarkusMainTest
    @TestProfile(MissingCredentialsFile.Profile.class)
    static class MissingCredentialsFile {
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

    @QuarkusMainTest
    @TestProfile(UnusableCredentials.Profile.class)
    static class UnusableCredentials {
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
}
