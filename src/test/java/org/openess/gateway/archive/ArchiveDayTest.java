package org.openess.gateway.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.TestDatabase;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The archive against a real TimescaleDB with the gateway's schema: day windows and their
 * boundaries, the CSV against psql's own {@code \copy}, manifest counts against the database,
 * DST days, re-runs, gzip, the per-site-day lock and the backfill. Each test uses its own site ids
 * in one shared database.
 */
@DbTest
class ArchiveDayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestDatabase db;

    @TempDir
    Path dir;

    @BeforeAll
    static void createDatabase() {
        db = ArchiveFixture.databaseWithSchema("archive_day");
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    private Archiver archiver(String zone, boolean gzip, int backfillDays) {
        return Archiver.open(ArchiveFixture.local(dir, zone, gzip, backfillDays), ArchiveFixture.settingsOf(db));
    }

    private Archiver archiver(String zone) {
        return archiver(zone, false, 30);
    }

    @Test
    void rowsAtLocalMidnightAndOneSecondBeforeLandInExactlyOneFileEach() throws IOException {
        String site = "boundary";
        List<String> stamps = List.of("2026-11-25T23:59:59+09:00", "2026-11-26T00:00:00+09:00", "2026-11-26T23:59:59+09:00",
                "2026-11-27T00:00:00+09:00");
        for (String ts : stamps) {
            db.execute(ArchiveFixture.rackRow(site, ts, 1, 50.0, 800.0));
        }
        try (Archiver a = archiver("Asia/Seoul")) {
            List<SiteDayResult> results = a.archiveRange(LocalDate.parse("2026-11-25"), LocalDate.parse("2026-11-27"),
                    Optional.of(site), new ArchiveListener() {
                    });
            assertEquals(3, results.size());
            results.forEach(r -> assertTrue(r.ok(), r.toString()));
        }
        Map<String, List<String>> timestampsByDay = new HashMap<>();
        for (String day : List.of("2026-11-25", "2026-11-26", "2026-11-27")) {
            List<List<String>> rows = Csv.parse(read(dir.resolve(ObjectLayout.tableObject(site, LocalDate.parse(day), "rack", false))));
            assertEquals("TIMESTAMP", rows.get(0).get(0));
            timestampsByDay.put(day, rows.subList(1, rows.size()).stream().map(r -> r.get(0)).toList());
        }
        assertEquals(List.of("2026-11-25T23:59:59+09:00"), timestampsByDay.get("2026-11-25"));
        assertEquals(List.of("2026-11-26T00:00:00+09:00", "2026-11-26T23:59:59+09:00"), timestampsByDay.get("2026-11-26"));
        assertEquals(List.of("2026-11-27T00:00:00+09:00"), timestampsByDay.get("2026-11-27"));
        for (String ts : stamps) {
            long files = timestampsByDay.values().stream().filter(l -> l.contains(ts)).count();
            assertEquals(1, files, ts + " must be in exactly one file");
        }
    }

    @Test
    void csvEqualsPsqlCopyFieldForFieldAndManifestCountsEqualTheDatabase() throws Exception {
        String site = "north \"A\", 1"; // RFC 4180 quoting of the site column, and percent-encoding in the path
        String other = "south";
        LocalDate day = LocalDate.parse("2026-11-26");
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("INSERT INTO rack (\"TIMESTAMP\", \"SITE_ID\", \"BANK_ID\", \"RACK_ID\", "
                    + "\"RACK_SOC\", \"RACK_VOLTAGE\", \"RACK_CURRENT\") VALUES (?, ?, 1, ?, ?, ?, ?)")) {
                OffsetDateTime start = OffsetDateTime.parse("2026-11-25T23:59:00+09:00");
                for (int sec = 0; sec < 240; sec++) {
                    // fractional seconds on some rows: the archive must keep them
                    OffsetDateTime ts = start.plusSeconds(sec).plusNanos(sec % 7 == 0 ? 250_000_000L : 0);
                    for (int rack = 1; rack <= 8; rack++) {
                        s.setObject(1, ts);
                        s.setString(2, sec % 5 == 0 ? other : site);
                        s.setInt(3, rack);
                        s.setDouble(4, 12.3 + rack + sec / 10.0);
                        if (rack == 3) {
                            s.setNull(5, java.sql.Types.DOUBLE);
                        } else {
                            s.setDouble(5, 1.0 / 3 + rack);
                        }
                        s.setDouble(6, -1.5e-7 * sec);
                        s.addBatch();
                    }
                }
                s.executeBatch();
            }
            c.commit();
        }
        db.execute("INSERT INTO ess_gaps (ts, site_id, table_name, missing_rows, reason) VALUES "
                + "('2026-11-26T00:00:10+09:00', '" + site.replace("'", "''") + "', 'rack', 8, 'timeout, then \"reset\"\nby peer'), "
                + "('2026-11-26T12:00:00+09:00', '" + site.replace("'", "''") + "', 'bank', 1, '')");
        db.execute("INSERT INTO ess_quality (ts, site_id, table_name, group_key, column_name, raw_registers, decoded_value, rule) "
                + "VALUES ('2026-11-26T00:01:00+09:00', '" + site.replace("'", "''") + "', 'rack', 2, 'RACK_SOC', '{65535,1}', NULL, 'max')");

        try (Archiver a = archiver("Asia/Seoul")) {
            List<SiteDayResult> results = a.archiveRange(day, day, Optional.empty(), new ArchiveListener() {
            });
            assertEquals(List.of(site, other), results.stream().map(SiteDayResult::site).sorted(
                    (x, y) -> x.equals(site) ? -1 : 1).toList());
            results.forEach(r -> assertTrue(r.ok(), r.toString()));
        }

        JsonNode manifest = JSON.readTree(dir.resolve(ObjectLayout.manifestObject(site, day)).toFile());
        assertEquals("Asia/Seoul", manifest.get("zone").asText());
        assertEquals("2026-11-26T00:00:00+09:00", manifest.get("windowStart").asText());
        assertEquals("2026-11-27T00:00:00+09:00", manifest.get("windowEnd").asText());
        assertEquals(24.0, manifest.get("hours").asDouble());
        List<String> tables = new ArrayList<>();
        for (JsonNode entry : manifest.get("tables")) {
            String table = entry.get("table").asText();
            tables.add(table);
            boolean own = table.startsWith("ess_");
            String time = own ? "ts" : "\"TIMESTAMP\"";
            String siteCol = own ? "site_id" : "\"SITE_ID\"";
            String where = " WHERE " + siteCol + " = '" + site.replace("'", "''") + "' AND " + time
                    + " >= '2026-11-26 00:00:00+09' AND " + time + " < '2026-11-27 00:00:00+09'";
            long count = db.count("SELECT count(*) FROM " + table + where);
            assertEquals(count, entry.get("rows").asLong(), table + ": manifest rows vs the database");

            Path file = dir.resolve(ObjectLayout.folder(site, day)).resolve(entry.get("file").asText());
            assertEquals(Files.size(file), entry.get("bytes").asLong());
            assertEquals(LocalFolderTarget.checksumsOf(file).crc32c(), entry.get("crc32c").asText());

            String order = switch (table) {
                case "rack" -> "\"TIMESTAMP\", \"BANK_ID\", \"RACK_ID\"";
                case "ess_gaps" -> "ts, table_name";
                case "ess_quality" -> "ts, table_name, group_key, column_name";
                default -> "\"TIMESTAMP\"";
            };
            List<List<String>> expected = psqlCopy("SELECT * FROM " + table + where + " ORDER BY " + order, "Asia/Seoul");
            List<List<String>> actual = Csv.parse(read(file));
            assertEquals(count + 1, actual.size(), table + ": header plus one line per row");
            assertEquals(expected.size(), actual.size(), table);
            int timeIndex = expected.get(0).indexOf(own ? "ts" : "TIMESTAMP");
            for (int i = 0; i < expected.size(); i++) {
                List<String> want = new ArrayList<>(expected.get(i));
                if (i > 0) {
                    want.set(timeIndex, isoFromPsql(want.get(timeIndex)));
                }
                assertEquals(want, actual.get(i), table + " line " + i);
            }
        }
        assertEquals(List.of("ess_gaps", "ess_quality", "rack"), tables.stream().sorted().toList());
        List<String> empty = new ArrayList<>();
        manifest.get("emptyTables").forEach(n -> empty.add(n.asText()));
        // other tests of the class may add tables; the operation1 ones without rows for this site are these
        assertTrue(empty.containsAll(List.of("bank", "etc", "pcs")), empty.toString());
        assertFalse(empty.contains("rack"));
        // the other site's rows never leak into this site's files and vice versa
        String rackCsv = read(dir.resolve(ObjectLayout.tableObject(site, day, "rack", false)));
        assertFalse(rackCsv.contains(",south,"));
        assertTrue(Files.exists(dir.resolve(ObjectLayout.manifestObject(other, day))));
    }

    @Test
    void dstDaysInBerlinHave23And25HoursAndEveryRowOnce() throws IOException {
        String site = "berlin";
        for (String[] range : new String[][] { { "2026-03-28T20:00:00Z", "2026-03-30T02:00:00Z" },
                { "2026-10-24T20:00:00Z", "2026-10-26T02:00:00Z" } }) {
            db.execute("INSERT INTO rack (\"TIMESTAMP\", \"SITE_ID\", \"BANK_ID\", \"RACK_ID\", \"RACK_SOC\") "
                    + "SELECT t, '" + site + "', 1, 1, 50 FROM generate_series('" + range[0] + "'::timestamptz, '" + range[1]
                    + "'::timestamptz, interval '15 minutes') t");
        }
        LocalDate spring = LocalDate.parse("2026-03-29");
        LocalDate autumn = LocalDate.parse("2026-10-25");
        try (Archiver a = archiver("Europe/Berlin")) {
            a.archiveRange(spring, spring, Optional.of(site), new ArchiveListener() {
            }).forEach(r -> assertTrue(r.ok()));
            a.archiveRange(autumn, autumn, Optional.of(site), new ArchiveListener() {
            }).forEach(r -> assertTrue(r.ok()));
        }
        JsonNode springManifest = JSON.readTree(dir.resolve(ObjectLayout.manifestObject(site, spring)).toFile());
        assertEquals(23.0, springManifest.get("hours").asDouble());
        assertEquals("2026-03-29T00:00:00+01:00", springManifest.get("windowStart").asText());
        assertEquals("2026-03-30T00:00:00+02:00", springManifest.get("windowEnd").asText());
        assertEquals(92, springManifest.get("tables").get(0).get("rows").asLong());
        JsonNode autumnManifest = JSON.readTree(dir.resolve(ObjectLayout.manifestObject(site, autumn)).toFile());
        assertEquals(25.0, autumnManifest.get("hours").asDouble());
        assertEquals(100, autumnManifest.get("tables").get(0).get("rows").asLong());

        List<String> springTimes = column0(dir.resolve(ObjectLayout.tableObject(site, spring, "rack", false)));
        assertEquals("2026-03-29T00:00:00+01:00", springTimes.get(0));
        assertTrue(springTimes.contains("2026-03-29T01:45:00+01:00"));
        assertEquals(springTimes.indexOf("2026-03-29T01:45:00+01:00") + 1, springTimes.indexOf("2026-03-29T03:00:00+02:00"));
        assertEquals("2026-03-29T23:45:00+02:00", springTimes.get(springTimes.size() - 1));

        List<String> autumnTimes = column0(dir.resolve(ObjectLayout.tableObject(site, autumn, "rack", false)));
        // the repeated hour appears twice, told apart by its offset
        assertEquals(autumnTimes.indexOf("2026-10-25T02:45:00+02:00") + 1, autumnTimes.indexOf("2026-10-25T02:00:00+01:00"));
        assertEquals("2026-10-25T23:45:00+01:00", autumnTimes.get(autumnTimes.size() - 1));
        assertEquals(autumnTimes.size(), autumnTimes.stream().distinct().count());
    }

    /**
     * Offsets of whole hours (PostgreSQL prints "+09", the archive "+09:00"), of hours and minutes
     * ("+05:30", "-02:30"), and days that change from one kind to the other (Lord Howe): every
     * timestamp must be what Java's ISO-8601 formatting of the same instant in the same zone gives.
     */
    @Test
    void timestampsMatchJavaIsoFormattingInZonesWithEveryKindOfOffset() throws Exception {
        String[][] cases = { { "UTC", "2026-11-26" }, { "Asia/Kolkata", "2026-11-26" }, { "America/St_Johns", "2026-11-01" },
                { "Australia/Lord_Howe", "2026-10-04" }, { "Europe/Berlin", "2026-03-29" } };
        for (String[] c : cases) {
            ZoneId zone = ZoneId.of(c[0]);
            LocalDate day = LocalDate.parse(c[1]);
            DayWindow w = DayWindow.of(day, zone);
            String site = "zone-" + c[0].replace('/', '-');
            db.execute("INSERT INTO rack (\"TIMESTAMP\", \"SITE_ID\", \"BANK_ID\", \"RACK_ID\") SELECT t, '" + site
                    + "', 1, 1 FROM generate_series('" + w.start().minusHours(1) + "'::timestamptz, '" + w.end().plusHours(1)
                    + "'::timestamptz, interval '10 minutes') t");
            db.execute("INSERT INTO rack (\"TIMESTAMP\", \"SITE_ID\", \"BANK_ID\", \"RACK_ID\") VALUES ('"
                    + w.start().plusSeconds(61).plusNanos(500_000_000L) + "', '" + site + "', 1, 2), ('"
                    + w.end().minusNanos(1000) + "', '" + site + "', 1, 2)");
            try (Archiver a = archiver(c[0])) {
                one(a.archiveRange(day, day, Optional.of(site), new ArchiveListener() {
                }));
            }
            List<String> expected = new ArrayList<>();
            try (Connection conn = db.connect(); PreparedStatement q = conn.prepareStatement("SELECT \"TIMESTAMP\" FROM rack "
                    + "WHERE \"SITE_ID\" = ? AND \"TIMESTAMP\" >= ? AND \"TIMESTAMP\" < ? ORDER BY \"TIMESTAMP\", \"RACK_ID\"")) {
                q.setString(1, site);
                q.setObject(2, w.start());
                q.setObject(3, w.end());
                try (var rs = q.executeQuery()) {
                    while (rs.next()) {
                        expected.add(ISO.format(rs.getObject(1, OffsetDateTime.class).toInstant().atZone(zone).toOffsetDateTime()));
                    }
                }
            }
            List<String> actual = column0(dir.resolve(ObjectLayout.tableObject(site, day, "rack", false)));
            assertEquals(expected, actual, c[0] + " " + day);
            assertTrue(actual.stream().anyMatch(ts -> ts.contains(":01.5")), "fractional seconds kept");
            assertTrue(actual.stream().anyMatch(ts -> ts.contains(".999999")), "microseconds kept");
        }
    }

    /** A table not made by the gateway, with the time column second: the server formats its timestamps. */
    @Test
    void aTableWhoseTimeColumnIsNotFirstIsArchivedToo() throws Exception {
        db.execute("CREATE TABLE IF NOT EXISTS meter (\"SITE_ID\" text NOT NULL, \"TIMESTAMP\" timestamptz NOT NULL, "
                + "\"ENERGY\" float8, UNIQUE (\"SITE_ID\", \"TIMESTAMP\"))");
        String site = "meter-site";
        db.execute("INSERT INTO meter VALUES ('" + site + "', '2026-11-23T00:00:00+09:00', 1.5), ('" + site
                + "', '2026-11-23T12:00:00.5+09:00', NULL), ('" + site + "', '2026-11-24T00:00:00+09:00', 3)");
        LocalDate day = LocalDate.parse("2026-11-23");
        try (Archiver a = archiver("Asia/Seoul")) {
            one(a.archiveRange(day, day, Optional.of(site), new ArchiveListener() {
            }));
        }
        assertEquals("SITE_ID,TIMESTAMP,ENERGY\n" + site + ",2026-11-23T00:00:00+09:00,1.5\n" + site + ",2026-11-23T12:00:00.5+09:00,\n",
                read(dir.resolve(ObjectLayout.tableObject(site, day, "meter", false))));
    }

    /** The alarms that started in the day, one file per site like the other tables, both timestamps in ISO-8601. */
    @Test
    void alarmEventsThatStartedInTheDayAreArchivedWithBothTimesInIso() throws Exception {
        db.execute(org.openess.gateway.storage.SchemaManager.alarmsTableSql());
        String site = "alarm-site";
        db.execute("INSERT INTO ess_alarms VALUES "
                + "('00000000-0000-0000-0000-000000000002', '2026-11-22T23:59:59+09:00', '2026-11-23T00:00:30+09:00', '" + site
                + "', 1, 2, 'CELL_OVER_TEMPERATURE', 'fault', 'started the day before', '{\"MAX_CELL_TEMPERATURE\": 61.5}', 61.5), "
                + "('00000000-0000-0000-0000-000000000001', '2026-11-23T10:00:00.25+09:00', '2026-11-23T10:05:00+09:00', '" + site
                + "', 1, 3, 'RACK_OVER_VOLTAGE', 'warning', 'rack 3, over 4.05 V', '{\"RACK_MAX_CELL_VOLTAGE\": 4.08}', 4.08), "
                + "('00000000-0000-0000-0000-000000000003', '2026-11-23T23:00:00+09:00', NULL, '" + site
                + "', 1, NULL, 'BANK_FAULT_FLAG', 'fault', 'still active, \"quoted\"', '{}', NULL)");
        LocalDate day = LocalDate.parse("2026-11-23");
        try (Archiver a = archiver("Asia/Seoul")) {
            one(a.archiveRange(day, day, Optional.of(site), new ArchiveListener() {
            }));
        }
        assertEquals("id,started_at,ended_at,site_id,bank,rack,code,level,message,trigger_values,peak_value\n"
                + "00000000-0000-0000-0000-000000000001,2026-11-23T10:00:00.25+09:00,2026-11-23T10:05:00+09:00," + site
                + ",1,3,RACK_OVER_VOLTAGE,warning,\"rack 3, over 4.05 V\",\"{\"\"RACK_MAX_CELL_VOLTAGE\"\": 4.08}\",4.08\n"
                + "00000000-0000-0000-0000-000000000003,2026-11-23T23:00:00+09:00,," + site
                + ",1,,BANK_FAULT_FLAG,fault,\"still active, \"\"quoted\"\"\",{},\n",
                read(dir.resolve(ObjectLayout.tableObject(site, day, "ess_alarms", false))));
    }

    @Test
    void rerunSkipsIdenticalFilesAndReplacesChangedOnes() throws IOException {
        String site = "rerun";
        LocalDate day = LocalDate.parse("2026-11-20");
        db.execute(ArchiveFixture.rackRow(site, "2026-11-20T10:00:00+09:00", 1, 10.0, 700.0));
        db.execute("INSERT INTO ess_gaps (ts, site_id, table_name, missing_rows, reason) VALUES "
                + "('2026-11-20T11:00:00+09:00', 'rerun', 'rack', 8, 'timeout')");
        Path rack = dir.resolve(ObjectLayout.tableObject(site, day, "rack", false));
        Path gaps = dir.resolve(ObjectLayout.tableObject(site, day, "ess_gaps", false));
        Path manifest = dir.resolve(ObjectLayout.manifestObject(site, day));
        try (Archiver a = archiver("Asia/Seoul")) {
            SiteDayResult first = one(a.archiveRange(day, day, Optional.of(site), new ArchiveListener() {
            }));
            first.tables().forEach(t -> assertEquals(PutResult.Outcome.CREATED, t.put().outcome()));
            assertEquals(PutResult.Outcome.CREATED, first.manifest().outcome());
            Object rackKey = fileKey(rack);
            Object manifestKey = fileKey(manifest);

            SiteDayResult second = one(a.archiveRange(day, day, Optional.of(site), new ArchiveListener() {
            }));
            second.tables().forEach(t -> assertEquals(PutResult.Outcome.UNCHANGED, t.put().outcome()));
            assertEquals(PutResult.Outcome.UNCHANGED, second.manifest().outcome());
            assertEquals(rackKey, fileKey(rack), "an identical file is not rewritten");
            assertEquals(manifestKey, fileKey(manifest));

            // a late row (buffered while the database was down) changes the day
            db.execute(ArchiveFixture.rackRow(site, "2026-11-20T10:00:01+09:00", 1, 11.0, 701.0));
            String gapsBefore = read(gaps);
            SiteDayResult third = one(a.archiveRange(day, day, Optional.of(site), new ArchiveListener() {
            }));
            Map<String, PutResult> byTable = new HashMap<>();
            third.tables().forEach(t -> byTable.put(t.table(), t.put()));
            assertEquals(PutResult.Outcome.REPLACED, byTable.get("rack").outcome());
            assertNotNull(byTable.get("rack").previous());
            assertEquals(PutResult.Outcome.UNCHANGED, byTable.get("ess_gaps").outcome());
            assertEquals(PutResult.Outcome.REPLACED, third.manifest().outcome());
            assertEquals(3, Csv.parse(read(rack)).size());
            assertEquals(gapsBefore, read(gaps));
            JsonNode rackEntry = null;
            for (JsonNode e : JSON.readTree(manifest.toFile()).get("tables")) {
                rackEntry = e.get("table").asText().equals("rack") ? e : rackEntry;
            }
            assertEquals(2, rackEntry.get("rows").asLong());
        }
        try (Stream<Path> files = Files.walk(dir)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().endsWith(".partial")).toList(),
                    "no temporary file is left behind");
        }
    }

    @Test
    void gzipFilesHoldTheSameCsvAndAreReproducible() throws IOException {
        String site = "zipped";
        LocalDate day = LocalDate.parse("2026-11-21");
        for (int i = 0; i < 100; i++) {
            db.execute(ArchiveFixture.rackRow(site, "2026-11-21T10:00:" + String.format("%02d", i % 60) + "+09:00", 1 + i / 60, i * 1.5,
                    null));
        }
        Path plainDir = dir.resolve("plain");
        Path zipDir = dir.resolve("zip");
        try (Archiver plain = Archiver.open(ArchiveFixture.local(plainDir, "Asia/Seoul", false, 30), ArchiveFixture.settingsOf(db));
                Archiver zip = Archiver.open(ArchiveFixture.local(zipDir, "Asia/Seoul", true, 30), ArchiveFixture.settingsOf(db))) {
            one(plain.archiveRange(day, day, Optional.of(site), new ArchiveListener() {
            }));
            SiteDayResult first = one(zip.archiveRange(day, day, Optional.of(site), new ArchiveListener() {
            }));
            assertEquals("zipped/2026/11/21/2026-11-21-rack.csv.gz", first.tables().get(0).object());
            SiteDayResult again = one(zip.archiveRange(day, day, Optional.of(site), new ArchiveListener() {
            }));
            assertEquals(PutResult.Outcome.UNCHANGED, again.tables().get(0).put().outcome(), "gzip output is deterministic");
        }
        Path gz = zipDir.resolve(ObjectLayout.tableObject(site, day, "rack", true));
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            assertEquals(read(plainDir.resolve(ObjectLayout.tableObject(site, day, "rack", false))),
                    new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals("gzip", JSON.readTree(zipDir.resolve(ObjectLayout.manifestObject(site, day)).toFile()).get("compression").asText());
    }

    @Test
    void aSiteDayLockedByAnotherProcessIsLeftAlone() throws Exception {
        String site = "locked";
        LocalDate day = LocalDate.parse("2026-11-22");
        db.execute(ArchiveFixture.rackRow(site, "2026-11-22T10:00:00+09:00", 1, 10.0, 700.0));
        try (Connection other = db.connect(); Archiver a = archiver("Asia/Seoul")) {
            try (PreparedStatement s = other.prepareStatement("SELECT pg_advisory_lock(?)")) {
                s.setLong(1, SiteDayLock.key(site, day));
                s.execute();
            }
            SiteDayResult blocked = one(a.archiveRange(day, day, Optional.of(site), new ArchiveListener() {
            }));
            assertTrue(blocked.lockedElsewhere());
            assertFalse(blocked.ok());
            assertFalse(Files.exists(dir.resolve(ObjectLayout.manifestObject(site, day))));
            try (PreparedStatement s = other.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                s.setLong(1, SiteDayLock.key(site, day));
                s.execute();
            }
            SiteDayResult done = one(a.archiveRange(day, day, Optional.of(site), new ArchiveListener() {
            }));
            assertTrue(done.ok());
            assertTrue(Files.exists(dir.resolve(ObjectLayout.manifestObject(site, day))));
        }
    }

    @Test
    void pendingFindsDaysWithRowsButNoManifestWithinTheBackfillWindow() {
        String site = "backfill";
        LocalDate yesterday = LocalDate.parse("2026-10-10");
        for (String ts : List.of("2026-10-05T12:00:00+09:00", "2026-10-07T12:00:00+09:00", "2026-10-08T12:00:00+09:00",
                "2026-10-10T12:00:00+09:00", "2026-10-11T12:00:00+09:00")) {
            db.execute(ArchiveFixture.rackRow(site, ts, 1, 1.0, 2.0));
        }
        try (Archiver a = archiver("Asia/Seoul", false, 4)) {
            one(a.archiveRange(LocalDate.parse("2026-10-07"), LocalDate.parse("2026-10-07"), Optional.of(site), new ArchiveListener() {
            }));
            List<LocalDate> days = a.pending(yesterday).stream().filter(sd -> sd.site().equals(site)).map(SiteDay::day).toList();
            // 10-05 is before the 4-day backfill window, 10-07 has a manifest, 10-09 has no rows, 10-11 is today
            assertEquals(List.of(LocalDate.parse("2026-10-08"), LocalDate.parse("2026-10-10")), days);
            List<SiteDayResult> results = a.archivePending(yesterday, Optional.of(site), new ArchiveListener() {
            });
            assertEquals(2, results.size());
            assertEquals(List.of(), a.pending(yesterday).stream().filter(sd -> sd.site().equals(site)).toList());
        }
    }

    private static SiteDayResult one(List<SiteDayResult> results) {
        assertEquals(1, results.size(), results.toString());
        assertNull(results.get(0).error());
        return results.get(0);
    }

    private static Object fileKey(Path p) throws IOException {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        return a.fileKey() + "@" + a.lastModifiedTime().toMillis();
    }

    private static List<String> column0(Path csv) throws IOException {
        List<List<String>> rows = Csv.parse(read(csv));
        return rows.subList(1, rows.size()).stream().map(r -> r.get(0)).toList();
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    /**
     * psql's own {@code \copy (SELECT ...) TO file CSV HEADER} of the same window, run as a separate
     * process with the session zone set through PGTZ: an independent reading of the same rows.
     */
    private static List<List<String>> psqlCopy(String select, String zone) throws Exception {
        Path out = Files.createTempFile("psql-copy", ".csv");
        try {
            ProcessBuilder pb = new ProcessBuilder("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", db.host(), "-p",
                    Integer.toString(db.port()), "-U", db.user(), "-d", db.name(), "-c",
                    "\\copy (" + select + ") TO '" + out + "' WITH (FORMAT csv, HEADER)");
            pb.environment().put("PGPASSWORD", db.password());
            pb.environment().put("PGTZ", zone);
            pb.redirectErrorStream(true);
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), "psql failed: " + output);
            return Csv.parse(Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static final DateTimeFormatter PSQL_TIMESTAMP = new DateTimeFormatterBuilder().appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd().appendOffset("+HH:mm", "+00")
            .toFormatter();
    private static final DateTimeFormatter ISO = new DateTimeFormatterBuilder().appendPattern("yyyy-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).appendOffset("+HH:MM", "+00:00").toFormatter();

    /** psql's "2026-11-26 00:00:00.25+09" as the archive's ISO-8601 "2026-11-26T00:00:00.25+09:00". */
    static String isoFromPsql(String psql) {
        return ISO.format(OffsetDateTime.parse(psql, PSQL_TIMESTAMP));
    }

    @Test
    void psqlTimestampsAreReadAsPsqlPrintsThem() {
        assertEquals("2026-11-26T00:00:00+09:00", isoFromPsql("2026-11-26 00:00:00+09"));
        assertEquals("2026-11-26T00:00:00.25+09:00", isoFromPsql("2026-11-26 00:00:00.25+09"));
        assertEquals("2026-11-26T00:00:00-03:30", isoFromPsql("2026-11-26 00:00:00-03:30"));
        assertEquals(ZoneOffset.ofHours(9), OffsetDateTime.parse("2026-01-01 00:00:00+09", PSQL_TIMESTAMP).getOffset());
    }
}
