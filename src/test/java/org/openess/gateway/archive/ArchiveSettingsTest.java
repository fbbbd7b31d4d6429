package org.openess.gateway.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;
import org.openess.gateway.config.ArchiveZones;
import org.openess.gateway.testsupport.UnitTest;

/** Parsing of ess.archive.* values, object names and day windows: pure functions, no I/O. */
@UnitTest
class ArchiveSettingsTest {

    private static void assertRefused(Runnable r, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void targets() {
        assertEquals(new TargetLocation.GcsBucket("ess-archive", "prod/site"), TargetLocation.parse("gs://ess-archive/prod/site/"));
        assertEquals(new TargetLocation.GcsBucket("ess-archive", ""), TargetLocation.parse("gs://ess-archive"));
        assertEquals(new TargetLocation.LocalFolder(Path.of("/var/lib/ess/archive")), TargetLocation.parse("file:///var/lib/ess/archive"));
        assertEquals(new TargetLocation.LocalFolder(Path.of("target/archive").toAbsolutePath()), TargetLocation.parse("file:target/archive"));
        assertRefused(() -> TargetLocation.parse("s3://bucket/x"), "ess.archive.target: expected gs://bucket/prefix or file:///dir, got 's3://bucket/x'");
        assertRefused(() -> TargetLocation.parse("gs://Bad_Bucket/x"), "'Bad_Bucket' is not a valid bucket name");
        assertRefused(() -> TargetLocation.parse("file:"), "names no folder");
        assertRefused(() -> TargetLocation.parse("/var/archive"), "expected gs://bucket/prefix or file:///dir");
    }

    @Test
    void zonesCompressionAndLimits() {
        assertEquals(ZoneId.of("Asia/Seoul"), ArchiveZones.parse("Asia/Seoul"));
        assertEquals(ZoneId.of("UTC"), ArchiveZones.parse("UTC"));
        assertEquals(ZoneId.of("UTC"), ArchiveZones.parse("Z"));
        assertRefused(() -> ArchiveZones.parse("Seoul"), "ess.archive.zone: 'Seoul' is not a time zone");
        assertRefused(() -> ArchiveZones.parse("+09:00"), "fixed offset '+09:00' is not supported");
        assertRefused(() -> ArchiveZones.parse("UTC+9"), "is an offset, not a region");
        assertEquals(true, ArchiveSettings.gzip("gzip"));
        assertEquals(true, ArchiveSettings.gzip(" GZIP "));
        assertEquals(false, ArchiveSettings.gzip("none"));
        assertRefused(() -> ArchiveSettings.workDir(java.util.Optional.of("/nonexistent/work")), "ess.archive.work-dir");
    }

    @Test
    void objectNamesFollowTheLayoutAndCannotEscapeTheSiteFolder() {
        LocalDate day = LocalDate.parse("2026-03-09");
        assertEquals("site-1/2026/03/09/2026-03-09-rack.csv", ObjectLayout.tableObject("site-1", day, "rack", false));
        assertEquals("site-1/2026/03/09/2026-03-09-rack.csv.gz", ObjectLayout.tableObject("site-1", day, "rack", true));
        assertEquals("site-1/2026/03/09/2026-03-09-manifest.json", ObjectLayout.manifestObject("site-1", day));
        assertEquals("a%2Fb%20c/2026/03/09/2026-03-09-manifest.json", ObjectLayout.manifestObject("a/b c", day));
        assertEquals("%2E%2E/2026/03/09/2026-03-09-etc.csv", ObjectLayout.tableObject("..", day, "etc", false));
        assertEquals("%EC%84%9C%EC%9A%B8/2026/03/09/2026-03-09-etc.csv", ObjectLayout.tableObject("서울", day, "etc", false));
    }

    @Test
    void dayWindowsAreHalfOpenLocalDays() {
        DayWindow seoul = DayWindow.of(LocalDate.parse("2026-11-26"), ZoneId.of("Asia/Seoul"));
        assertEquals("2026-11-26T00:00+09:00", seoul.start().toString());
        assertEquals("2026-11-27T00:00+09:00", seoul.end().toString());
        assertEquals(Duration.ofHours(24), seoul.length());
        assertEquals(Duration.ofHours(23), DayWindow.of(LocalDate.parse("2026-03-29"), ZoneId.of("Europe/Berlin")).length());
        assertEquals(Duration.ofHours(25), DayWindow.of(LocalDate.parse("2026-10-25"), ZoneId.of("Europe/Berlin")).length());
        // Santiago moves its clocks at midnight: that day begins at 01:00 local time
        DayWindow santiago = DayWindow.of(LocalDate.parse("2026-09-06"), ZoneId.of("America/Santiago"));
        assertEquals("2026-09-06T01:00-03:00", santiago.start().toString());
        assertEquals(Duration.ofHours(23), santiago.length());
    }
}
