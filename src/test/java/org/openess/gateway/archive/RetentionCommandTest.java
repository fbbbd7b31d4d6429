package org.openess.gateway.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
    static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");

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
        LocalDate today = LocalDate.now(SEOUL);
        LocalDate d13 = today.minusDays(13);
        LocalDate d12 = today.minusDays(12);
        LocalDate differs = today.minusDays(11);
        LocalDate missing = today.minusDays(10);
        for (LocalDate day : List.of(d13, d12, differs, missing, today)) {
            for (int hour = 0; hour < 24; hour++) {
                db.execute(ArchiveFixture.rackRow("s1", String.format("%sT%02d:30:00+09:00", day, hour), 1, 50.0, 700.0));
            }
        }
        db.execute(ArchiveFixture.rackRow("s2", d12 + "T12:00:00+09:00", 2, 60.0, 710.0));
        db.execute("INSERT INTO ess_gaps (ts, site_id, table_name, missing_rows, reason) VALUES ('" + d13
                + "T05:00:00+09:00', 's1', 'rack', 8, 'read fc3 0+125: timeout')");

        LaunchResult archived = launcher.launch("archive", "--from", d13.toString(), "--to", differs.toString());
        assertEquals(0, archived.exitCode(), archived.getOutput() + archived.getErrorOutput());
        LaunchResult archivedToday = launcher.launch("archive", "--date", today.toString());
        assertEquals(0, archivedToday.exitCode(), archivedToday.getErrorOutput());
        // a replayed row arrives after its day was archived: the manifest no longer describes the day
        db.execute(ArchiveFixture.rackRow("s1", differs + "T23:59:59+09:00", 3, 1.0, 2.0));
        long chunksBefore = db.count("SELECT count(*) FROM timescaledb_information.chunks WHERE hypertable_name = 'rack'");

        LaunchResult dry = launcher.launch("retention", "--dry-run", "--retain-raw", "8d");
        assertEquals(0, dry.exitCode(), dry.getOutput() + dry.getErrorOutput());
        assertEquals(Set.of(d13.toString(), d12.toString()), days(dry.getOutput(), "would drop"), dry.getOutput());
        assertEquals(Set.of(differs.toString(), missing.toString()), days(dry.getOutput(), "kept"), dry.getOutput());
        assertTrue(dry.getOutput().contains(differs + ": kept: site s1 rack: 25 row(s) in the database, 24 in the manifest"),
                dry.getOutput());
        assertTrue(dry.getOutput().contains(missing + ": kept: site s1: no manifest " + ObjectLayout.manifestObject("s1", missing)),
                dry.getOutput());
        assertTrue(dry.getOutput().contains(d12 + ": would drop: verified, 2 site(s), 25 row(s)"), dry.getOutput());
        assertEquals(24 * 5 + 2, db.count("SELECT count(*) FROM rack"), "a dry run changes nothing");

        LaunchResult run = launcher.launch("retention", "--retain-raw", "8d");
        assertEquals(0, run.exitCode(), run.getOutput() + run.getErrorOutput());
        assertEquals(Set.of(d13.toString(), d12.toString()), days(run.getOutput(), "dropped"), run.getOutput());
        assertEquals(0, rowsOn(db, d13) + rowsOn(db, d12));
        assertEquals(0, db.count("SELECT count(*) FROM ess_gaps"));
        assertEquals(25, rowsOn(db, differs));
        assertEquals(24, rowsOn(db, missing));
        assertEquals(24, rowsOn(db, today));
        assertTrue(db.count("SELECT count(*) FROM timescaledb_information.chunks WHERE hypertable_name = 'rack'") < chunksBefore,
                "whole chunks of the dropped days went with drop_chunks: " + run.getOutput());
        Matcher totals = Pattern.compile("(\\d+) chunk\\(s\\) dropped").matcher(run.getOutput());
        assertTrue(totals.find() && Integer.parseInt(totals.group(1)) >= 1, run.getOutput());

        // every archived file still matches its manifest
        ObjectMapper json = new ObjectMapper();
        for (LocalDate day : List.of(d13, d12, differs, today)) {
            for (String site : day.equals(d12) ? List.of("s1", "s2") : List.of("s1")) {
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
        assertEquals(Set.of(), days(again.getOutput(), "dropped"), again.getOutput());
        assertEquals(Set.of(differs.toString(), missing.toString()), days(again.getOutput(), "kept"), again.getOutput());
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

    private static long rowsOn(TestDatabase db, LocalDate day) {
        return db.count("SELECT count(*) FROM rack WHERE \"TIMESTAMP\" >= '" + day + "T00:00:00+09:00' AND \"TIMESTAMP\" < '"
                + day.plusDays(1) + "T00:00:00+09:00'");
    }

    private static Set<String> days(String output, String verdict) {
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^(\\d{4}-\\d{2}-\\d{2}): " + Pattern.quote(verdict) + ":").matcher(output);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
