package org.openess.gateway.archive;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openess.gateway.config.EssConfig;
import org.openess.gateway.storage.Database;
import org.openess.gateway.testsupport.CapturedLog;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.TestDatabase;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/**
 * The nightly job with {@code ess.timescale.retain-raw}: after the archive (which looks at
 * yesterday only here) it drops an old day archived before and keeps one that never was, with a
 * WARN naming the missing manifest and the kept day in {@code /api/status} ({@code retention.blockedDays}).
 */
@QuarkusTest
@TestProfile(RetentionScheduleTest.Setup.class)
@DbTest
class RetentionScheduleTest {
    static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");

    public static class Setup implements QuarkusTestProfile {
        static final TestDatabase DB = ArchiveFixture.databaseWithSchema("retention_job");
        static final Path DIR;

        static {
            try {
                DIR = Files.createTempDirectory("retention-job");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.reactive.url", DB.reactiveUrl(), "ess.archive.target", "file:" + DIR,
                    "ess.archive.zone", "Asia/Seoul", "ess.archive.backfill-days", "0", "ess.timescale.retain-raw", "8d");
        }
    }

    @Inject
    ArchiveSchedule schedule;
    @Inject
    RetentionState state;
    @Inject
    Database database;
    @Inject
    EssConfig config;

    @AfterAll
    static void dropDatabase() {
        Setup.DB.close();
    }

    @Test
    void theNightlyRunDropsTheArchivedDayAndReportsTheOther() {
        LocalDate archived = LocalDate.now(SEOUL).minusDays(11);
        LocalDate never = LocalDate.now(SEOUL).minusDays(10);
        for (LocalDate day : List.of(archived, never)) {
            Setup.DB.execute(ArchiveFixture.rackRow("job-site", day + "T12:00:00+09:00", 1, 50.0, 700.0));
        }
        try (Archiver a = Archiver.open(ArchiveSettings.from(config.archive()), database::settings)) {
            a.archiveRange(archived, archived, Optional.empty(), new ArchiveListener() {
            });
        }
        try (CapturedLog log = CapturedLog.start()) {
            schedule.nightly();
            assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("WARN") && l.contains("retention: " + never + " kept")
                    && l.contains("no manifest")), log.lines().toString());
        }
        assertEquals(0, Setup.DB.count("SELECT count(*) FROM rack WHERE \"TIMESTAMP\" = '" + archived + "T12:00:00+09:00'"));
        assertEquals(1, Setup.DB.count("SELECT count(*) FROM rack WHERE \"TIMESTAMP\" = '" + never + "T12:00:00+09:00'"));
        assertEquals(List.of(archived.toString()), state.summary().droppedDays());
        assertEquals(1, state.blockedDays());

        JsonPath status = given().get("/api/status").jsonPath();
        assertEquals("8d", status.getString("retention.retainRaw"));
        assertEquals(List.of(never.toString()), status.getList("retention.blockedDays.day"));
        assertTrue(status.getString("retention.blockedDays[0].reasons[0]").contains("no manifest"), status.prettify());
    }
}
