package org.openess.gateway.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.TestDatabase;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

/**
 * The command with a gs:// target configured through ess.archive.* keys, against the JSON API test
 * double: the configuration path (endpoint, chunk size, timeouts) as an operator would set it.
 */
@QuarkusMainTest
@TestProfile(ArchiveCommandGcsTest.GcsTarget.class)
@DbTest
class ArchiveCommandGcsTest {

    public static class GcsTarget implements QuarkusTestProfile {
        static final TestDatabase DB = ArchiveFixture.databaseWithSchema("archive_cli_gcs");
        static final GcsHttpDouble GCS;

        static {
            try {
                GCS = new GcsHttpDouble("ess-archive");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            DB.execute("INSERT INTO rack (\"TIMESTAMP\", \"SITE_ID\", \"BANK_ID\", \"RACK_ID\", \"RACK_SOC\") SELECT t, 'site-9', 1, r, 42 "
                    + "FROM generate_series('2026-11-26T00:00:00+09:00'::timestamptz, '2026-11-26T00:29:59+09:00', interval '1 second') t, "
                    + "generate_series(1, 8) r");
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.reactive.url", DB.reactiveUrl(), "ess.archive.target", "gs://ess-archive/cli",
                    "ess.archive.gcs.endpoint", GCS.endpoint(), "ess.archive.gcs.project-id", "test-project",
                    "ess.archive.gcs.chunk-size", "256K", "ess.archive.gcs.timeout", "5s", "ess.archive.compression", "gzip");
        }
    }

    @AfterAll
    static void stop() {
        GcsTarget.GCS.close();
        GcsTarget.DB.close();
    }

    @Test
    void archivesADayToTheBucketAndSkipsItTheSecondTime(QuarkusMainLauncher launcher) {
        LaunchResult first = launcher.launch("archive", "--date", "2026-11-26");
        assertEquals(0, first.exitCode(), first.getOutput() + first.getErrorOutput());
        assertEquals(List.of("cli/site-9/2026/11/26/2026-11-26-manifest.json", "cli/site-9/2026/11/26/2026-11-26-rack.csv.gz"),
                List.copyOf(GcsTarget.GCS.objects("ess-archive").keySet()));
        assertTrue(first.getOutput().contains("1 created, 0 replaced, 0 unchanged"), first.getOutput());

        LaunchResult second = launcher.launch("archive", "--date", "2026-11-26", "--site", "site-9");
        assertEquals(0, second.exitCode(), second.getErrorOutput());
        assertTrue(second.getOutput().contains("0 created, 0 replaced, 1 unchanged"), second.getOutput());
        assertTrue(second.getOutput().contains("manifest unchanged"), second.getOutput());
    }
}
