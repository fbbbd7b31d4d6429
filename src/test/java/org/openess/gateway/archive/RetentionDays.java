package org.openess.gateway.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.openess.gateway.testsupport.TestDatabase;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;

/**
 * The days the retention command tests run on, whatever the archive target: 24 rack rows of site
 * s1 on each of five days in Seoul (13, 12, 11 and 10 days ago, and today) and one of site s2 on
 * the second. {@link #archive} archives all but the {@link #missing} day, then writes a late row
 * into the {@link #differs} day, so that retention with {@code --retain-raw 8d} must drop
 * {@link #d13} and {@link #d12} and keep the other two (today is never old enough).
 */
final class RetentionDays {
    static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");

    final LocalDate today = LocalDate.now(SEOUL);
    final LocalDate d13 = today.minusDays(13);
    final LocalDate d12 = today.minusDays(12);
    /** Archived, then a replayed row arrived: the manifest no longer describes the day. */
    final LocalDate differs = today.minusDays(11);
    /** Never archived: no manifest. */
    final LocalDate missing = today.minusDays(10);

    void writeRows(TestDatabase db) {
        for (LocalDate day : List.of(d13, d12, differs, missing, today)) {
            for (int hour = 0; hour < 24; hour++) {
                db.execute(ArchiveFixture.rackRow("s1", String.format("%sT%02d:30:00+09:00", day, hour), 1, 50.0, 700.0));
            }
        }
        db.execute(ArchiveFixture.rackRow("s2", d12 + "T12:00:00+09:00", 2, 60.0, 710.0));
    }

    void archive(QuarkusMainLauncher launcher, TestDatabase db) {
        LaunchResult archived = launcher.launch("archive", "--from", d13.toString(), "--to", differs.toString());
        assertEquals(0, archived.exitCode(), archived.getOutput() + archived.getErrorOutput());
        LaunchResult archivedToday = launcher.launch("archive", "--date", today.toString());
        assertEquals(0, archivedToday.exitCode(), archivedToday.getOutput() + archivedToday.getErrorOutput());
        db.execute(ArchiveFixture.rackRow("s1", differs + "T23:59:59+09:00", 3, 1.0, 2.0));
    }

    /** {@code retention --dry-run --retain-raw 8d}: lists what it would drop and why it keeps the rest, changes nothing. */
    LaunchResult dryRun(QuarkusMainLauncher launcher, TestDatabase db) {
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
        return dry;
    }

    /** {@code retention --retain-raw 8d}: drops the two verified days' rows and no other. */
    LaunchResult run(QuarkusMainLauncher launcher, TestDatabase db) {
        LaunchResult run = launcher.launch("retention", "--retain-raw", "8d");
        assertEquals(0, run.exitCode(), run.getOutput() + run.getErrorOutput());
        assertEquals(Set.of(d13.toString(), d12.toString()), days(run.getOutput(), "dropped"), run.getOutput());
        assertEquals(Set.of(differs.toString(), missing.toString()), days(run.getOutput(), "kept"), run.getOutput());
        assertEquals(0, rowsOn(db, d13) + rowsOn(db, d12));
        assertEquals(25, rowsOn(db, differs));
        assertEquals(24, rowsOn(db, missing));
        assertEquals(24, rowsOn(db, today));
        return run;
    }

    static long rowsOn(TestDatabase db, LocalDate day) {
        return db.count("SELECT count(*) FROM rack WHERE \"TIMESTAMP\" >= '" + day + "T00:00:00+09:00' AND \"TIMESTAMP\" < '"
                + day.plusDays(1) + "T00:00:00+09:00'");
    }

    /** The days of {@code output}'s lines {@code <day>: <verdict>: ...}. */
    static Set<String> days(String output, String verdict) {
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^(\\d{4}-\\d{2}-\\d{2}): " + Pattern.quote(verdict) + ":").matcher(output);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
