package org.openess.gateway.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.TestDatabase;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

/**
 * {@code retention} with a gs:// target (the JSON API double) and the project's TimescaleDB: the
 * manifests are read back from the bucket, not from a folder. Of five days with rows it lists and
 * then drops exactly the two whose manifests in the bucket match the database, and keeps a day
 * without a manifest, one whose counts differ and today; the bucket keeps every object.
 */
@QuarkusMainTest
@TestProfile(RetentionGcsTest.Bucket.class)
@DbTest
class RetentionGcsTest {
    static final String BUCKET = "ess-archive";
    static final String PREFIX = "sites";

    public static class Bucket implements QuarkusTestProfile {
        static final TestDatabase DB = ArchiveFixture.databaseWithSchema("retention_gcs");
        static final GcsHttpDouble GCS;

        static {
            try {
                GCS = new GcsHttpDouble(BUCKET);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.reactive.url", DB.reactiveUrl(), "ess.archive.target", "gs://" + BUCKET + "/" + PREFIX,
                    "ess.archive.gcs.endpoint", GCS.endpoint(), "ess.archive.gcs.project-id", "test-project",
                    "ess.archive.gcs.timeout", "5s", "ess.archive.compression", "gzip", "ess.archive.zone", "Asia/Seoul",
                    "ess.archive.backfill-days", "20");
        }
    }

    @AfterAll
    static void stop() {
        Bucket.GCS.close();
        Bucket.DB.close();
    }

    @Test
    void dropsTheDaysWhoseManifestsInTheBucketMatchAndKeepsTheOthers(QuarkusMainLauncher launcher) throws IOException {
        TestDatabase db = Bucket.DB;
        RetentionDays days = new RetentionDays();
        days.writeRows(db);
        days.archive(launcher, db);
        Map<String, GcsHttpDouble.StoredObject> before = Bucket.GCS.objects(BUCKET);
        assertTrue(before.containsKey(PREFIX + "/" + ObjectLayout.manifestObject("s1", days.d13)), before.keySet().toString());
        assertTrue(!before.containsKey(PREFIX + "/" + ObjectLayout.manifestObject("s1", days.missing)), before.keySet().toString());

        LaunchResult dry = days.dryRun(launcher, db);
        assertTrue(dry.getOutput().contains("verified against gs://" + BUCKET + "/" + PREFIX), dry.getOutput());

        days.run(launcher, db);

        // retention only reads the bucket: every object is still there, and each table file still
        // matches what its manifest says
        Map<String, GcsHttpDouble.StoredObject> after = Bucket.GCS.objects(BUCKET);
        assertEquals(before.keySet(), after.keySet());
        ObjectMapper json = new ObjectMapper();
        for (LocalDate day : List.of(days.d13, days.d12, days.differs, days.today)) {
            for (String site : day.equals(days.d12) ? List.of("s1", "s2") : List.of("s1")) {
                String manifestName = PREFIX + "/" + ObjectLayout.manifestObject(site, day);
                Manifest m = json.readValue(after.get(manifestName).content(), Manifest.class);
                String folder = manifestName.substring(0, manifestName.lastIndexOf('/') + 1);
                for (Manifest.Entry e : m.tables()) {
                    GcsHttpDouble.StoredObject file = after.get(folder + e.file());
                    assertTrue(file != null, folder + e.file() + " in " + after.keySet());
                    assertEquals(e.bytes(), file.content().length, file.name());
                    assertEquals(e.crc32c(), GcsHttpDouble.crc32c(file.content()), file.name());
                    assertEquals(e.rows(), csvLines(file.content()) - 1, file.name());
                }
            }
        }
    }

    private static long csvLines(byte[] gzipped) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().count();
        }
    }
}
