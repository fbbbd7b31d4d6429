package org.openess.gateway.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * {@code retention} against the project's TimescaleDB and a local archive: of five days with rows,
 * it drops exactly the two whose manifests match the database, keeps one whose manifest is missing,
 * one whose counts differ and today (archived, but not old enough), says why for each, and leaves
 * every archived file matching its manifest.
 */
@QuarkusMainTest
@TestProfile(RetentionCommandTest.Target.class)
@DbTest
class RetentionCommandTest {
    public static class Target implements QuarkusTestProfile {
        static final TestDatabase DB = ArchiveFixture.databaseWithSchema("retention_cli");
        static final Path DIR;

        static {
            try {
                DIR = Files.createTempDirectory("retention-cli");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.reactive.url", DB.reactiveUrl(), "ess.archive.target", "file:" + DIR,
                    "ess.archive.zone", "Asia/Seoul", "ess.archive.backfill-days", "20");
        }
    }

    @AfterAll
    static void dropDatabase() {
        Target.DB.close();
    }

    @Test
    void dropsExactlyTheVerifiedDaysAndSaysWhyTheOthersAreKept(QuarkusMainLauncher launcher) throws IOException {
        TestDatabase db = Target.DB;
        RetentionDays days = new RetentionDays();
        days.writeRows(db);
        db.execute("INSERT INTO ess_gaps (ts, site_id, table_name, missing_rows, reason) VALUES ('" + days.d13
                + "T05:00:00+09:00', 's1', 'rack', 8, 'read fc3 0+125: timeout')");
        days.archive(launcher, db);
        long chunksBefore = db.count("SELECT count(*) FROM timescaledb_information.chunks WHERE hypertable_name = 'rack'");

        days.dryRun(launcher, db);

        LaunchResult run = days.run(launcher, db);
        assertEquals(0, db.count("SELECT count(*) FROM ess_gaps"));
        assertTrue(db.count("SELECT count(*) FROM timescaledb_information.chunks WHERE hypertable_name = 'rack'") < chunksBefore,
                "whole chunks of the dropped days went with drop_chunks: " + run.getOutput());
        Matcher totals = Pattern.compile("(\\d+) chunk\\(s\\) dropped").matcher(run.getOutput());
        assertTrue(totals.find() && Integer.parseInt(totals.group(1)) >= 1, run.getOutput());

        // every archived file still matches its manifest
        ObjectMapper json = new ObjectMapper();
        for (LocalDate day : List.of(days.d13, days.d12, days.differs, days.today)) {
            for (String site : day.equals(days.d12) ? List.of("s1", "s2") : List.of("s1")) {
                Path manifest = Target.DIR.resolve(ObjectLayout.manifestObject(site, day));
                Manifest m = json.readValue(manifest.toFile(), Manifest.class);
                for (Manifest.Entry e : m.tables()) {
                    Path file = manifest.getParent().resolve(e.file());
                    assertEquals(e.bytes(), Files.size(file), file.toString());
                    assertEquals(e.rows(), Files.readAllLines(file).size() - 1, file.toString());
                    assertEquals(e.crc32c(), LocalFolderTarget.checksumsOf(file).crc32c(), file.toString());
                }
            }
        }

        LaunchResult again = launcher.launch("retention", "--retain-raw", "8d");
        assertEquals(0, again.exitCode());
        assertEquals(Set.of(), RetentionDays.days(again.getOutput(), "dropped"), again.getOutput());
        assertEquals(Set.of(days.differs.toString(), days.missing.toString()), RetentionDays.days(again.getOutput(), "kept"),
                again.getOutput());
    }

    @Test
    void refusesWhatCannotBeRight(QuarkusMainLauncher launcher) {
        LaunchResult off = launcher.launch("retention", "--dry-run");
        assertEquals(1, off.exitCode());
        assertTrue(off.getErrorOutput().contains("retention is off: set ess.timescale.retain-raw"), off.getErrorOutput());
        LaunchResult short7 = launcher.launch("retention", "--retain-raw", "7d");
        assertEquals(1, short7.exitCode());
        assertTrue(short7.getErrorOutput().contains("is shorter than 8d while ess.timescale.rollups=1m,15m"), short7.getErrorOutput());
    }
}
