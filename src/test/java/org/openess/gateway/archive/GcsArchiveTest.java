package org.openess.gateway.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openess.gateway.archive.GcsHttpDouble.FaultKind;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.TestDatabase;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;

/**
 * The gs:// path end to end: rows from the test TimescaleDB, the real google-cloud-storage client,
 * and {@link GcsHttpDouble} speaking the JSON API on a loopback port. The rack file is larger than
 * the 256 KiB chunk size used here, so it goes up as a resumable upload in several chunks; the
 * small tables and the manifest go up as multipart uploads.
 */
@DbTest
class GcsArchiveTest {
    private static final String BUCKET = "ess-archive";
    private static final String PREFIX = "prod/ess";
    private static final LocalDate DAY = LocalDate.parse("2026-11-26");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestDatabase db;

    @TempDir
    Path work;
    @TempDir
    Path local;
    private GcsHttpDouble gcs;

    @BeforeAll
    static void createDatabase() {
        db = ArchiveFixture.databaseWithSchema("archive_gcs");
        // 8 racks x 900 s: about 600 KiB of CSV, more than two 256 KiB chunks
        db.execute("INSERT INTO rack (\"TIMESTAMP\", \"SITE_ID\", \"BANK_ID\", \"RACK_ID\", \"RACK_SOC\", \"RACK_VOLTAGE\", \"RACK_CURRENT\") "
                + "SELECT t, 'site-1', 1, r, 50 + r / 10.0, 812.5 - r, -12.25 FROM generate_series('2026-11-26T09:00:00+09:00'::timestamptz, "
                + "'2026-11-26T09:14:59+09:00', interval '1 second') t, generate_series(1, 8) r");
        db.execute("INSERT INTO ess_gaps (ts, site_id, table_name, missing_rows, reason) VALUES "
                + "('2026-11-26T10:00:00+09:00', 'site-1', 'rack', 8, 'timeout')");
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void startDouble() throws Exception {
        gcs = new GcsHttpDouble(BUCKET);
        gcs.hangFor(2500);
    }

    @AfterEach
    void stopDouble() {
        gcs.close();
    }

    private ArchiveSettings settings(String bucket, String endpoint) {
        return new ArchiveSettings(ZoneId.of("Asia/Seoul"), new TargetLocation.GcsBucket(bucket, PREFIX), false, 30, work,
                new ArchiveSettings.Gcs(Optional.of("test-project"), Optional.empty(), Optional.of(endpoint), Duration.ofSeconds(1), 4,
                        Duration.ofMillis(5), Duration.ofMillis(20), 256 * 1024));
    }

    private SiteDayResult archiveDay() {
        try (Archiver a = Archiver.open(settings(BUCKET, gcs.endpoint()), ArchiveFixture.settingsOf(db))) {
            List<SiteDayResult> results = a.archiveRange(DAY, DAY, Optional.empty(), new ArchiveListener() {
            });
            assertEquals(1, results.size());
            return results.get(0);
        }
    }

    /** The bucket's rack and ess_gaps files of the day are byte for byte what the folder target wrote. */
    private void assertBucketHoldsTheLocalCopies() throws IOException {
        for (String table : List.of("rack", "ess_gaps")) {
            assertArrayEquals(Files.readAllBytes(localCopy(table)),
                    gcs.objects(BUCKET).get("prod/ess/site-1/2026/11/26/2026-11-26-" + table + ".csv").content(), table);
        }
    }

    /** The same day written to a local folder: the reference content for every object. */
    private Path localCopy(String table) {
        try (Archiver a = Archiver.open(ArchiveFixture.local(local, "Asia/Seoul", false, 30), ArchiveFixture.settingsOf(db))) {
            a.archiveRange(DAY, DAY, Optional.empty(), new ArchiveListener() {
            });
        }
        return local.resolve(ObjectLayout.tableObject("site-1", DAY, table, false));
    }

    private Storage client() {
        return GcsClients.create(settings(BUCKET, gcs.endpoint()).gcs());
    }

    @Test
    void archivesTheDayWithResumableAndMultipartUploadsAndTheManifestLast() throws Exception {
        SiteDayResult r = archiveDay();
        assertTrue(r.ok(), String.valueOf(r.error()));

        Map<String, GcsHttpDouble.StoredObject> objects = gcs.objects(BUCKET);
        assertEquals(List.of("prod/ess/site-1/2026/11/26/2026-11-26-ess_gaps.csv", "prod/ess/site-1/2026/11/26/2026-11-26-manifest.json",
                "prod/ess/site-1/2026/11/26/2026-11-26-rack.csv"), List.copyOf(objects.keySet()));
        byte[] rack = Files.readAllBytes(localCopy("rack"));
        assertTrue(rack.length > 2 * 256 * 1024, "rack file must span several chunks, is " + rack.length);
        assertArrayEquals(rack, objects.get("prod/ess/site-1/2026/11/26/2026-11-26-rack.csv").content());
        assertEquals("text/csv; charset=utf-8", objects.get("prod/ess/site-1/2026/11/26/2026-11-26-rack.csv").contentType());

        List<String> log = gcs.requests();
        assertTrue(log.stream().anyMatch(l -> l.startsWith("POST /upload/") && l.contains("uploadType=resumable")), log.toString());
        assertTrue(log.stream().filter(l -> l.startsWith("PUT /upload/")).count() >= 3, "the rack file in >= 3 chunks: " + log);
        assertTrue(log.stream().anyMatch(l -> l.startsWith("POST /upload/") && l.contains("uploadType=multipart")), log.toString());
        List<String> uploads = log.stream().filter(l -> l.startsWith("POST /upload/") || l.startsWith("PUT /upload/")).toList();
        assertTrue(uploads.get(uploads.size() - 1).contains("uploadType=multipart"), "the manifest is the last upload");

        // read back through the real client: list, get and content, checksums as GCS reports them
        JsonNode manifest;
        try (Storage storage = client()) {
            List<String> listed = new ArrayList<>();
            storage.list(BUCKET, Storage.BlobListOption.prefix("prod/ess/site-1/2026/11/"), Storage.BlobListOption.pageSize(2))
                    .iterateAll().forEach(b -> listed.add(b.getName()));
            assertEquals(List.copyOf(objects.keySet()), listed);
            manifest = JSON.readTree(storage.readAllBytes(BlobId.of(BUCKET, "prod/ess/site-1/2026/11/26/2026-11-26-manifest.json")));
            for (JsonNode e : manifest.get("tables")) {
                Blob blob = storage.get(BlobId.of(BUCKET, "prod/ess/site-1/2026/11/26/" + e.get("file").asText()));
                assertNotNull(blob);
                assertEquals(e.get("crc32c").asText(), blob.getCrc32c());
                assertEquals(e.get("md5").asText(), blob.getMd5());
                assertEquals(e.get("bytes").asLong(), blob.getSize());
            }
        }
        assertEquals(8 * 900, manifest.get("tables").get(1).get("rows").asLong());
        assertNoTempFiles();
    }

    @Test
    void rerunUploadsNothingWhenIdenticalAndReplacesAChangedObjectConditionally() {
        archiveDay();
        gcs.clearLog();
        SiteDayResult again = archiveDay();
        again.tables().forEach(t -> assertEquals(PutResult.Outcome.UNCHANGED, t.put().outcome()));
        assertEquals(PutResult.Outcome.UNCHANGED, again.manifest().outcome());
        assertFalse(gcs.requests().stream().anyMatch(l -> l.contains("/upload/")), gcs.requests().toString());

        long oldGeneration = gcs.objects(BUCKET).get("prod/ess/site-1/2026/11/26/2026-11-26-ess_gaps.csv").generation();
        db.execute("INSERT INTO ess_gaps (ts, site_id, table_name, missing_rows, reason) VALUES "
                + "('2026-11-26T11:00:00+09:00', 'site-1', 'rack', 8, 'late row')");
        try {
            gcs.clearLog();
            SiteDayResult changed = archiveDay();
            TableResult gaps = changed.tables().stream().filter(t -> t.table().equals("ess_gaps")).findFirst().orElseThrow();
            assertEquals(PutResult.Outcome.REPLACED, gaps.put().outcome());
            assertEquals(PutResult.Outcome.REPLACED, changed.manifest().outcome());
            assertTrue(gcs.requests().stream().anyMatch(l -> l.contains("uploadType=multipart") && l.contains("ifGenerationMatch="
                    + oldGeneration)), "replacement is conditional on the generation seen: " + gcs.requests());
        } finally {
            db.execute("DELETE FROM ess_gaps WHERE reason = 'late row'");
        }
    }

    @Test
    void retriesAfterInjected503sOnMultipartAndResumableRequests() throws Exception {
        gcs.inject(q -> q.method().equals("POST") && "multipart".equals(q.query().get("uploadType")), FaultKind.STATUS, 503, 2);
        gcs.inject(q -> q.method().equals("PUT") && q.isUpload(), FaultKind.STATUS, 503, 2);
        SiteDayResult r = archiveDay();
        assertTrue(r.ok(), String.valueOf(r.error()));
        assertBucketHoldsTheLocalCopies();
        assertNoTempFiles();
    }

    @Test
    void retriesAfterTimeoutsIncludingAnUploadWhoseAnswerWasLost() throws Exception {
        // the first multipart upload hangs before the server stores anything; the second one is stored
        // and then hangs, so the retry meets the object already there (412) and must recognise it
        gcs.inject(q -> q.method().equals("POST") && "multipart".equals(q.query().get("uploadType")), FaultKind.HANG_BEFORE, 0, 1);
        gcs.inject(q -> q.method().equals("POST") && "multipart".equals(q.query().get("uploadType")), FaultKind.HANG_AFTER, 0, 1);
        gcs.inject(q -> q.method().equals("PUT") && q.isUpload(), FaultKind.HANG_AFTER, 0, 1);
        SiteDayResult r = archiveDay();
        assertTrue(r.ok(), String.valueOf(r.error()));
        assertBucketHoldsTheLocalCopies();
        assertEquals(3, gcs.objects(BUCKET).size());
    }

    @Test
    void aFailedResumableUploadLeavesNoObjectAndNoManifest() {
        // every chunk after the first fails: the client gives up after max-attempts
        int[] puts = { 0 };
        gcs.inject(q -> q.method().equals("PUT") && q.isUpload() && ++puts[0] > 1, FaultKind.STATUS, 503, 1000);
        SiteDayResult r = archiveDay();
        assertFalse(r.ok());
        assertTrue(r.error().contains("503"), r.error());
        Map<String, GcsHttpDouble.StoredObject> objects = gcs.objects(BUCKET);
        assertFalse(objects.containsKey("prod/ess/site-1/2026/11/26/2026-11-26-rack.csv"), objects.keySet().toString());
        assertFalse(objects.containsKey("prod/ess/site-1/2026/11/26/2026-11-26-manifest.json"));
        assertNoTempFiles();
    }

    @Test
    void aCorruptedUploadIsRefusedByItsChecksumAndNothingBecomesVisible() {
        gcs.inject(q -> q.method().equals("POST") && "multipart".equals(q.query().get("uploadType")), FaultKind.CORRUPT, 0, 1);
        SiteDayResult r = archiveDay();
        assertFalse(r.ok());
        assertTrue(r.error().contains("400") && r.error().toLowerCase().contains("doesn't match"), r.error());
        assertTrue(gcs.objects(BUCKET).keySet().stream().noneMatch(n -> n.endsWith("manifest.json")));
        assertTrue(gcs.objects(BUCKET).keySet().stream().noneMatch(n -> n.endsWith("ess_gaps.csv")));
        assertNoTempFiles();
    }

    @Test
    void aMissingBucketOrAnUnreachableEndpointStopsTheRunWithAClearMessage() throws Exception {
        ArchiveException missing = assertThrows(ArchiveException.class,
                () -> Archiver.open(settings("no-such-bucket", gcs.endpoint()), ArchiveFixture.settingsOf(db)));
        assertTrue(missing.getMessage().contains("gs://no-such-bucket: bucket not found"), missing.getMessage());

        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        ArchiveException unreachable = assertThrows(ArchiveException.class,
                () -> Archiver.open(settings(BUCKET, "http://127.0.0.1:" + closedPort), ArchiveFixture.settingsOf(db)));
        assertTrue(unreachable.getMessage().contains("Cloud Storage unreachable"), unreachable.getMessage());
    }

    private void assertNoTempFiles() {
        try (Stream<Path> files = Files.list(work)) {
            assertEquals(List.of(), files.toList(), "temporary files are removed");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
