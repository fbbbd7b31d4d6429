package org.openess.gateway.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openess.gateway.service.GatewayService;
import org.openess.gateway.alarm.AlarmEngine;
import org.openess.gateway.metrics.GatewayMetrics;
import org.openess.gateway.storage.Database;
import org.openess.gateway.testsupport.CreatedBeans;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.TestDatabase;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

/** The {@code archive} command as an operator runs it: exit codes, messages, files written. */
@QuarkusMainTest
@TestProfile(ArchiveCommandTest.LocalTarget.class)
@DbTest
class ArchiveCommandTest {

    /** A test database with the schema and a local target folder, both made once for the class. */
    public static class LocalTarget implements QuarkusTestProfile {
        static final TestDatabase DB = ArchiveFixture.databaseWithSchema("archive_cli");
        static final Path DIR;

        static {
            try {
                DIR = Files.createTempDirectory("archive-cli");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.reactive.url", DB.reactiveUrl(), "ess.archive.target", "file:" + DIR,
                    "ess.archive.zone", "Asia/Seoul", "ess.archive.backfill-days", "2");
        }
    }

    @AfterAll
    static void dropDatabase() {
        LocalTarget.DB.close();
    }

    private static void assertRefused(LaunchResult r, String message) {
        assertEquals(2, r.exitCode(), r.getErrorOutput());
        assertTrue(r.getErrorOutput().contains(message), "expected '" + message + "' in: " + r.getErrorOutput());
    }

    @Test
    void badArgumentsAreRefusedWithExitCode2AndAMessageNamingThem(QuarkusMainLauncher launcher) {
        assertRefused(launcher.launch("archive", "--date", "2026-13-01"),
                "error: archive: Invalid value for option '--date': expects a date as YYYY-MM-DD, got '2026-13-01'");
        assertRefused(launcher.launch("archive", "--date", "yesterday"), "expects a date as YYYY-MM-DD, got 'yesterday'");
        assertRefused(launcher.launch("archive", "--date", "2026-11-01", "--from", "2026-11-01", "--to", "2026-11-02"),
                "error: archive: --date cannot be combined with --from/--to");
        assertRefused(launcher.launch("archive", "--from", "2026-11-05", "--to", "2026-11-01"), "--from 2026-11-05 is after --to 2026-11-01");
        assertRefused(launcher.launch("archive", "--from", "2026-11-05"), "--from needs --to");
        assertRefused(launcher.launch("archive", "--to", "2026-11-05"), "--to needs --from");
        assertRefused(launcher.launch("archive", "--from", "2010-01-01", "--to", "2026-01-01"), "is longer than 3660 days");
        assertRefused(launcher.launch("archive", "--day", "2026-11-05"), "error: archive: Unknown options: '--day', '2026-11-05'");
        assertRefused(launcher.launch("archive", "--date"), "Missing required parameter for option '--date' (YYYY-MM-DD)");
        assertRefused(launcher.launch("archive", "--date", "2026-11-01", "--date", "2026-11-02"),
                "option '--date' (YYYY-MM-DD) should be specified only once");
        assertRefused(launcher.launch("archive", "--site", " "), "--site needs a site id");
        assertRefused(launcher.launch("archive", "2026-11-05"), "Unmatched argument at index 1: '2026-11-05'");
        String future = LocalDate.now(ZoneId.of("Asia/Seoul")).plusDays(2).toString();
        assertRefused(launcher.launch("archive", "--date", future), future + " is in the future");
    }

    @Test
    void archivesYesterdayWithoutArgumentsAndTodayOnRequest(QuarkusMainLauncher launcher) throws IOException {
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Seoul"));
        LocalDate yesterday = today.minusDays(1);
        for (LocalDate day : new LocalDate[] { yesterday, today }) {
            LocalTarget.DB.execute(ArchiveFixture.rackRow("cli-site", day + "T00:00:00+09:00", 1, 1.0, 2.0));
        }

        LaunchResult nightly = launcher.launch("archive");
        assertEquals(0, nightly.exitCode(), nightly.getOutput() + nightly.getErrorOutput());
        assertTrue(nightly.getOutput().contains(yesterday + " cli-site:"), nightly.getOutput());
        assertTrue(nightly.getOutput().contains("rack"), nightly.getOutput());
        assertTrue(nightly.getOutput().contains("manifest created"), nightly.getOutput());
        assertTrue(Files.exists(LocalTarget.DIR.resolve(ObjectLayout.manifestObject("cli-site", yesterday))));
        assertTrue(Files.notExists(LocalTarget.DIR.resolve(ObjectLayout.manifestObject("cli-site", today))), "today is not over yet");

        LaunchResult again = launcher.launch("archive");
        assertEquals(0, again.exitCode());
        assertTrue(again.getOutput().contains("nothing to archive"), again.getOutput());

        LaunchResult todayRun = launcher.launch("archive", "--date", today.toString(), "--site", "cli-site");
        assertEquals(0, todayRun.exitCode(), todayRun.getErrorOutput());
        assertTrue(Files.exists(LocalTarget.DIR.resolve(ObjectLayout.tableObject("cli-site", today, "rack", false))));
        assertTrue(Files.exists(LocalTarget.DIR.resolve(ObjectLayout.manifestObject("cli-site", today))));

        LaunchResult rerun = launcher.launch("archive", "--from", yesterday.toString(), "--to", today.toString());
        assertEquals(0, rerun.exitCode());
        assertTrue(rerun.getOutput().contains("0 created, 0 replaced, 2 unchanged"), rerun.getOutput());

        LaunchResult otherSite = launcher.launch("archive", "--date", today.toString(), "--site", "no-such-site");
        assertEquals(0, otherSite.exitCode());
        assertTrue(otherSite.getOutput().contains("nothing to archive for site no-such-site"), otherSite.getOutput());
    }

    /** The one-shot command builds what archiving needs and none of the service's operator surfaces. */
    @Test
    void theCommandBuildsNeitherTheMetricsNorTheAlarmsNorThePollingService(QuarkusMainLauncher launcher) {
        LocalDate day = LocalDate.now(ZoneId.of("Asia/Seoul")).minusDays(3);
        LocalTarget.DB.execute(ArchiveFixture.rackRow("beans-site", day + "T00:00:00+09:00", 1, 1.0, 2.0));
        System.clearProperty(CreatedBeans.PROPERTY);

        LaunchResult r = launcher.launch("archive", "--date", day.toString(), "--site", "beans-site");
        assertEquals(0, r.exitCode(), r.getOutput() + r.getErrorOutput());
        assertTrue(r.getOutput().contains("1 file(s), 1 row(s)"), r.getOutput());

        var created = CreatedBeans.lastRun();
        assertTrue(created.contains(Database.class.getName()), "the archive reads through the pool: " + created);
        for (Class<?> unwanted : new Class<?>[] { GatewayMetrics.class, AlarmEngine.class, GatewayService.class }) {
            assertFalse(created.contains(unwanted.getName()), unwanted.getSimpleName() + " built by the archive command: " + created);
        }
    }
}
