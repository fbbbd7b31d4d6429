package org.openess.gateway.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.function.Supplier;

import org.jboss.logging.Logger;
import org.openess.gateway.storage.JdbcSession;
import org.openess.gateway.storage.JdbcSettings;
import org.openess.gateway.storage.StoredTables;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The archive's entry point: writes each site's day of each table as CSV to the target, then the
 * day's manifest. The scheduled job ({@link ArchiveSchedule}) and the one-shot command
 * ({@link ArchiveCommand}) both drive it. Blocking JDBC and file/HTTP I/O: call it from a worker
 * or the main thread, never from an event loop.
 */
public final class Archiver implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Archiver.class);
    static final String CSV_TYPE = "text/csv; charset=utf-8";
    static final String GZIP_TYPE = "application/gzip";
    static final String JSON_TYPE = "application/json";

    /**
     * Per archiver, not static: a static driver would be created while a native image is built
     * (Quarkus initialises classes at build time where it can) and carry build-time state.
     */
    private final org.postgresql.Driver driver = new org.postgresql.Driver();

    private final ArchiveSettings settings;
    private final JdbcSettings database;
    private final ArchiveTarget target;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The sites this process archives: all, or its task's share in a parallel Cloud Run job. */
    private SiteShard shard = SiteShard.fromEnvironment(System.getenv());

    Archiver(ArchiveSettings settings, JdbcSettings database, ArchiveTarget target) {
        this.settings = settings;
        this.database = database;
        this.target = target;
    }

    public static Archiver open(ArchiveSettings settings, JdbcSettings database) {
        return open(settings, () -> database);
    }

    /**
     * Opens the target and checks that it can be written, then asks where the database is; fails
     * with the reason when either is unusable.
     */
    public static Archiver open(ArchiveSettings settings, Supplier<JdbcSettings> database) {
        ArchiveTarget target;
        if (settings.target() instanceof TargetLocation.GcsBucket b) {
            target = new GcsTarget(GcsClients.create(settings.gcs()), b.bucket(), b.prefix(), settings.gcs().chunkSize(),
                    settings.workDir());
        } else {
            target = new LocalFolderTarget(((TargetLocation.LocalFolder) settings.target()).dir());
        }
        try {
            target.checkReachable();
            return new Archiver(settings, database.get(), target);
        } catch (RuntimeException e) {
            target.close();
            throw e;
        }
    }

    Archiver shard(SiteShard shard) {
        this.shard = shard;
        return this;
    }

    public ArchiveSettings settings() {
        return settings;
    }

    /** Yesterday in the archive zone: the day a nightly run archives. */
    public LocalDate yesterday() {
        return LocalDate.now(settings.zone()).minusDays(1);
    }

    /** Every site with rows on each day of [from, to] (or only {@code site}), day by day. */
    public List<SiteDayResult> archiveRange(LocalDate from, LocalDate to, Optional<String> site, ArchiveListener listener) {
        return withTables((c, tables) -> {
            List<SiteDayResult> results = new ArrayList<>();
            for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
                DayWindow w = DayWindow.of(day, settings.zone());
                for (String s : sitesOn(c, tables, w)) {
                    if (site.isEmpty() || site.get().equals(s)) {
                        results.add(archiveSiteDay(c, tables, s, w, listener));
                    }
                }
            }
            return results;
        });
    }

    /**
     * Yesterday and up to {@code ess.archive.backfill-days} earlier days: each site's day that has
     * rows but no manifest (the gateway was off at midnight, an upload failed).
     */
    public List<SiteDay> pending(LocalDate yesterday) {
        return withTables((c, tables) -> pending(c, tables, yesterday));
    }

    /** Archives what {@link #pending} finds, oldest first, on the same connection. */
    public List<SiteDayResult> archivePending(LocalDate yesterday, Optional<String> site, ArchiveListener listener) {
        return withTables((c, tables) -> {
            List<SiteDayResult> results = new ArrayList<>();
            for (SiteDay sd : pending(c, tables, yesterday)) {
                if (site.isEmpty() || site.get().equals(sd.site())) {
                    results.add(archiveSiteDay(c, tables, sd.site(), DayWindow.of(sd.day(), settings.zone()), listener));
                }
            }
            return results;
        });
    }

    private List<SiteDay> pending(Connection c, List<ArchivedTable> tables, LocalDate yesterday) throws SQLException {
        List<SiteDay> pending = new ArrayList<>();
        Optional<LocalDate> earliest = earliestDay(c, tables);
        if (earliest.isEmpty()) {
            return pending;
        }
        LocalDate first = yesterday.minusDays(settings.backfillDays());
        if (earliest.get().isAfter(first)) {
            first = earliest.get();
        }
        for (LocalDate day = first; !day.isAfter(yesterday); day = day.plusDays(1)) {
            for (String site : sitesOn(c, tables, DayWindow.of(day, settings.zone()))) {
                if (!target.exists(ObjectLayout.manifestObject(site, day))) {
                    pending.add(new SiteDay(site, day));
                }
            }
        }
        return pending;
    }

    /**
     * Drops raw rows of days older than {@code retainRaw} that this target's manifests verify
     * ({@link Retention}); {@code dryRun} only reports what it would drop and why.
     */
    Retention.Result retain(Duration retainRaw, java.time.Instant now, boolean dryRun) {
        try (Connection c = connect()) {
            return new Retention(settings, target).run(c, retainRaw, now, dryRun);
        } catch (SQLException e) {
            throw new ArchiveException("retention: database " + database + ": " + e.getMessage(), e);
        }
    }

    /** Work on one connection with the archived tables discovered once. */
    private interface TableWork<T> {
        T run(Connection c, List<ArchivedTable> tables) throws SQLException;
    }

    private <T> T withTables(TableWork<T> work) {
        try (Connection c = connect()) {
            return work.run(c, TableDiscovery.discover(c));
        } catch (SQLException e) {
            throw new ArchiveException("database " + database + ": " + e.getMessage(), e);
        }
    }

    private SiteDayResult archiveSiteDay(Connection c, List<ArchivedTable> tables, String site, DayWindow w,
            ArchiveListener listener) throws SQLException {
        listener.siteDayStarted(site, w);
        SiteDayResult result;
        try (SiteDayLock lock = SiteDayLock.tryAcquire(c, site, w.day())) {
            if (lock == null) {
                LOG.infof("%s %s: being archived by another process (advisory lock held); skipped here", site, w.day());
                result = new SiteDayResult(site, w, List.of(), List.of(), null, true, null);
            } else {
                result = archiveLocked(c, tables, site, w, listener);
            }
        }
        listener.siteDayDone(result);
        return result;
    }

    private SiteDayResult archiveLocked(Connection c, List<ArchivedTable> tables, String site, DayWindow w,
            ArchiveListener listener) throws SQLException {
        List<TableResult> done = new ArrayList<>();
        List<String> empty = new ArrayList<>();
        // one snapshot for every table of the day: the manifest's counts describe one moment
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        c.setReadOnly(true);
        try {
            for (ArchivedTable table : tables) {
                TableResult r = archiveTable(c, table, site, w, listener);
                if (r == null) {
                    empty.add(table.name());
                } else {
                    done.add(r);
                    listener.tableDone(site, w, r);
                }
            }
            c.commit();
        } catch (SQLException | IOException | RuntimeException e) {
            c.rollback();
            String message = describe(e);
            LOG.errorf("%s %s: archive failed, no manifest written: %s", site, w.day(), message);
            return new SiteDayResult(site, w, done, empty, null, false, message);
        } finally {
            c.setReadOnly(false);
            c.setAutoCommit(true);
        }
        try {
            PutResult manifest = writeManifest(site, w, done, empty);
            return new SiteDayResult(site, w, done, empty, manifest, false, null);
        } catch (IOException | RuntimeException e) {
            String message = describe(e);
            LOG.errorf("%s %s: manifest not written: %s", site, w.day(), message);
            return new SiteDayResult(site, w, done, empty, null, false, message);
        }
    }

    /** Null when the site has no rows in the table that day (no file is written). */
    private TableResult archiveTable(Connection c, ArchivedTable table, String site, DayWindow w, ArchiveListener listener)
            throws SQLException, IOException {
        String object = ObjectLayout.tableObject(site, w.day(), table.name(), settings.gzip());
        Path tmp = target.newTempFile(object);
        try {
            long t0 = System.nanoTime();
            ExportedFile file = CsvCopy.copy(c, table, site, w, tmp, settings.gzip(),
                    bytes -> listener.tableProgress(site, w, table.name(), bytes));
            if (file.rows() == 0) {
                return null;
            }
            PutResult put = target.put(object, tmp, file.checksums(), settings.gzip() ? GZIP_TYPE : CSV_TYPE);
            logReplacement(object, put, file.checksums());
            return new TableResult(table.name(), object, file.rows(), file.checksums(), put,
                    Duration.ofNanos(System.nanoTime() - t0));
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private PutResult writeManifest(String site, DayWindow w, List<TableResult> done, List<String> empty) throws IOException {
        List<Manifest.Entry> entries = done.stream().map(r -> new Manifest.Entry(r.table(), r.object().substring(
                r.object().lastIndexOf('/') + 1), r.rows(), r.checksums().bytes(), r.checksums().crc32c(), r.checksums().md5()))
                .toList();
        DateTimeFormatter iso = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
        Manifest m = new Manifest(1, site, w.day().toString(), settings.zone().getId(), iso.format(w.start()), iso.format(w.end()),
                w.length().toMinutes() / 60.0, settings.gzip() ? "gzip" : "none", entries, List.copyOf(empty));
        String object = ObjectLayout.manifestObject(site, w.day());
        Path tmp = target.newTempFile(object);
        try {
            ChecksumOutputStream out = new ChecksumOutputStream(Files.newOutputStream(tmp));
            try (out) {
                out.write(json.writeValueAsBytes(m));
            }
            Checksums sums = out.checksums();
            PutResult put = target.put(object, tmp, sums, JSON_TYPE);
            logReplacement(object, put, sums);
            return put;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Our own exceptions carry a complete message; others keep their type for the log. */
    private static String describe(Exception e) {
        return e instanceof ArchiveException ? e.getMessage() : e.toString();
    }

    private void logReplacement(String object, PutResult put, Checksums now) {
        if (put.outcome() == PutResult.Outcome.REPLACED) {
            LOG.warnf("replaced %s: content changed (was %d bytes, crc32c %s; now %d bytes, crc32c %s)", object,
                    put.previous().bytes(), put.previous().crc32c(), now.bytes(), now.crc32c());
        }
    }

    private TreeSet<String> sitesOn(Connection c, List<ArchivedTable> tables, DayWindow w) throws SQLException {
        TreeSet<String> sites = new TreeSet<>();
        for (ArchivedTable t : tables) {
            sites.addAll(StoredTables.sitesBetween(c, t.stored(), w.start(), w.end()));
        }
        sites.removeIf(s -> !shard.owns(s));
        return sites;
    }

    private Optional<LocalDate> earliestDay(Connection c, List<ArchivedTable> tables) throws SQLException {
        OffsetDateTime earliest = null;
        for (ArchivedTable t : tables) {
            Optional<OffsetDateTime> min = StoredTables.earliestTime(c, t.stored());
            if (min.isPresent() && (earliest == null || min.get().isBefore(earliest))) {
                earliest = min.get();
            }
        }
        return Optional.ofNullable(earliest).map(e -> e.atZoneSameInstant(settings.zone()).toLocalDate());
    }

    Connection connect() {
        // user, password and TLS (sslmode, root/client certificates) as the reactive pool has them
        Properties p = database.properties();
        try {
            // the driver directly, not DriverManager: Quarkus' class loaders hide the driver from its lookup
            Connection c = driver.connect(database.url(), p);
            if (c == null) {
                throw new ArchiveException("not a PostgreSQL JDBC URL: " + database.url());
            }
            try {
                // the CSV's timestamps are formatted by the server in the session zone
                JdbcSession.setTimeZone(c, settings.zone());
            } catch (SQLException e) {
                c.close();
                throw new ArchiveException("the database does not know time zone '" + settings.zone().getId()
                        + "' (ess.archive.zone): " + e.getMessage(), e);
            }
            return c;
        } catch (SQLException e) {
            throw new ArchiveException("cannot connect to the database " + database + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        target.close();
    }
}
