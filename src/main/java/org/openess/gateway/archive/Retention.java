package org.openess.gateway.archive;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.openess.gateway.profile.StoredColumns;
import org.openess.gateway.storage.JdbcSession;
import org.openess.gateway.storage.RetentionStatements;
import org.openess.gateway.storage.StoredTable;
import org.openess.gateway.storage.StoredTables;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Drops raw rows of days older than {@code ess.timescale.retain-raw}, but only days the archive
 * holds: for each site with rows that day, the manifest is read back from the target, its window
 * must be the day's and each table's row count must equal the database's, and every file it names
 * must be there. A day with a site that fails any of this is kept and reported, and looked at again
 * on the next run. Days with no rows count as dropped already.
 * <p>
 * Verification and removal run in one repeatable-read transaction: the counts compared are those
 * of the rows removed, and a row a replayed spool writes meanwhile is not in the snapshot, so it
 * is not deleted (it makes the day differ from its manifest next time, and the day is kept).
 * Whole chunks that lie in dropped days go with {@code drop_chunks}; rows of a verified day in a
 * chunk that also holds kept rows (chunks follow UTC midnights, days the archive zone's) are
 * deleted. {@code ess_alarms} is left alone: few rows, and an alarm may stay open across days.
 */
final class Retention {
    private static final long LOCK_KEY = 0x455353_52544e4eL; // "ESS" "RTNN"

    /** What retention decided for one day with rows. */
    record DayVerdict(LocalDate day, boolean verified, long rows, int sites, List<String> reasons) {
    }

    /** A run's outcome; {@code lockedElsewhere}: another process was running retention, nothing was done. */
    record Result(Duration retainRaw, LocalDate lastEligibleDay, boolean dryRun, List<DayVerdict> days, int chunksDropped,
            long rowsDeleted, boolean lockedElsewhere) {

        List<DayVerdict> verified() {
            return days.stream().filter(DayVerdict::verified).toList();
        }

        List<DayVerdict> blocked() {
            return days.stream().filter(d -> !d.verified()).toList();
        }
    }

    private final ArchiveSettings settings;
    private final ArchiveTarget target;
    private final ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    Retention(ArchiveSettings settings, ArchiveTarget target) {
        this.settings = settings;
        this.target = target;
    }

    /** The last day whose end is at least {@code retainRaw} before {@code now}: today never is. */
    LocalDate lastEligibleDay(Instant now, Duration retainRaw) {
        Instant cutoff = now.minus(retainRaw);
        LocalDate day = cutoff.atZone(settings.zone()).toLocalDate();
        while (DayWindow.of(day, settings.zone()).end().toInstant().isAfter(cutoff)) {
            day = day.minusDays(1);
        }
        return day;
    }

    Result run(Connection c, Duration retainRaw, Instant now, boolean dryRun) throws SQLException {
        LocalDate last = lastEligibleDay(now, retainRaw);
        if (!JdbcSession.tryAdvisoryLock(c, LOCK_KEY)) {
            return new Result(retainRaw, last, dryRun, List.of(), 0, 0, true);
        }
        try {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                Result r = runLocked(c, retainRaw, last, dryRun);
                if (dryRun) {
                    c.rollback();
                } else {
                    c.commit();
                }
                return r;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } finally {
            JdbcSession.advisoryUnlock(c, LOCK_KEY);
        }
    }

    private Result runLocked(Connection c, Duration retainRaw, LocalDate last, boolean dryRun) throws SQLException {
        List<StoredTable> tables = StoredTables.discover(c).stream().filter(t -> !t.name().equals(StoredColumns.ALARMS_TABLE)).toList();
        OffsetDateTime earliest = null;
        for (StoredTable t : tables) {
            Optional<OffsetDateTime> min = StoredTables.earliestTime(c, t);
            if (min.isPresent() && (earliest == null || min.get().isBefore(earliest))) {
                earliest = min.get();
            }
        }
        List<DayVerdict> verdicts = new ArrayList<>();
        if (earliest == null) {
            return new Result(retainRaw, last, dryRun, verdicts, 0, 0, false);
        }
        LocalDate first = earliest.atZoneSameInstant(settings.zone()).toLocalDate();
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            DayVerdict v = verify(c, tables, day);
            if (v != null) {
                verdicts.add(v);
            }
        }
        int chunks = 0;
        long deleted = 0;
        if (!dryRun && verdicts.stream().anyMatch(DayVerdict::verified)) {
            List<Interval> clear = clearIntervals(first, last, verdicts);
            for (StoredTable t : tables) {
                if (RetentionStatements.isHypertable(c, t.name())) {
                    for (RetentionStatements.Chunk ch : RetentionStatements.chunks(c, t.name())) {
                        if (clear.stream().anyMatch(i -> !ch.start().isBefore(i.start()) && !ch.end().isAfter(i.end()))) {
                            chunks += RetentionStatements.dropChunks(c, t.name(), ch.start(), ch.end());
                        }
                    }
                }
                for (DayVerdict v : verdicts) {
                    if (v.verified()) {
                        DayWindow w = DayWindow.of(v.day(), settings.zone());
                        deleted += RetentionStatements.deleteBetween(c, t, w.start(), w.end());
                    }
                }
            }
        }
        return new Result(retainRaw, last, dryRun, verdicts, chunks, deleted, false);
    }

    private record Interval(OffsetDateTime start, OffsetDateTime end) {
    }

    /** Runs of days from the first day with rows to the last eligible one that hold no kept row. */
    private List<Interval> clearIntervals(LocalDate first, LocalDate last, List<DayVerdict> verdicts) {
        Map<LocalDate, Boolean> blocked = new TreeMap<>();
        verdicts.forEach(v -> blocked.put(v.day(), !v.verified()));
        List<Interval> out = new ArrayList<>();
        OffsetDateTime start = null;
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            DayWindow w = DayWindow.of(day, settings.zone());
            if (blocked.getOrDefault(day, false)) {
                if (start != null) {
                    out.add(new Interval(start, w.start()));
                    start = null;
                }
            } else if (start == null) {
                // before the first day with rows nothing is stored: a chunk reaching back there is clear too
                start = day.equals(first) ? OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC) : w.start();
            }
        }
        if (start != null) {
            out.add(new Interval(start, DayWindow.of(last, settings.zone()).end()));
        }
        return out;
    }

    /** Null when the day has no rows; else whether every site's rows are in a verified archive. */
    private DayVerdict verify(Connection c, List<StoredTable> tables, LocalDate day) throws SQLException {
        DayWindow w = DayWindow.of(day, settings.zone());
        Map<String, Map<String, Long>> bySite = new TreeMap<>();
        long rows = 0;
        for (StoredTable t : tables) {
            for (Map.Entry<String, Long> e : RetentionStatements.countsBySite(c, t, w.start(), w.end()).entrySet()) {
                bySite.computeIfAbsent(e.getKey(), k -> new TreeMap<>()).put(t.name(), e.getValue());
                rows += e.getValue();
            }
        }
        if (bySite.isEmpty()) {
            return null;
        }
        List<String> reasons = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>(tables.stream().map(StoredTable::name).toList());
        for (Map.Entry<String, Map<String, Long>> site : bySite.entrySet()) {
            reasons.addAll(checkSite(site.getKey(), w, site.getValue(), names));
        }
        return new DayVerdict(day, reasons.isEmpty(), rows, bySite.size(), List.copyOf(reasons));
    }

    /** {@code tables}: those retention removes rows from; the manifest's other entries (ess_alarms) are not compared. */
    private List<String> checkSite(String site, DayWindow w, Map<String, Long> counts, java.util.Set<String> tables) {
        String object = ObjectLayout.manifestObject(site, w.day());
        Optional<byte[]> bytes = target.read(object);
        if (bytes.isEmpty()) {
            return List.of("site " + site + ": no manifest " + object);
        }
        Manifest m;
        try {
            m = json.readValue(bytes.get(), Manifest.class);
        } catch (IOException e) {
            return List.of("site " + site + ": manifest " + object + " unreadable (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        DateTimeFormatter iso = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
        if (!iso.format(w.start()).equals(m.windowStart()) || !iso.format(w.end()).equals(m.windowEnd())) {
            return List.of("site " + site + ": manifest " + object + " covers [" + m.windowStart() + ", " + m.windowEnd()
                    + "), not the day in " + settings.zone());
        }
        List<String> reasons = new ArrayList<>();
        Map<String, Manifest.Entry> entries = new TreeMap<>();
        if (m.tables() != null) {
            m.tables().stream().filter(e -> tables.contains(e.table())).forEach(e -> entries.put(e.table(), e));
        }
        java.util.Set<String> names = new java.util.TreeSet<>(counts.keySet());
        names.addAll(entries.keySet());
        String folder = object.substring(0, object.lastIndexOf('/') + 1);
        for (String table : names) {
            long db = counts.getOrDefault(table, 0L);
            Manifest.Entry e = entries.get(table);
            long archived = e == null ? 0 : e.rows();
            if (db != archived) {
                reasons.add("site " + site + " " + table + ": " + db + " row(s) in the database, " + archived + " in the manifest");
            } else if (e != null && !target.exists(folder + e.file())) {
                reasons.add("site " + site + " " + table + ": " + folder + e.file() + " named by the manifest is missing");
            }
        }
        return reasons;
    }
}
