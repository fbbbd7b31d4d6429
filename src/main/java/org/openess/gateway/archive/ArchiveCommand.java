package org.openess.gateway.archive;

import java.io.PrintStream;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.openess.gateway.cli.CliArgs;
import org.openess.gateway.cli.CliException;
import org.openess.gateway.config.EssConfig;
import org.openess.gateway.storage.Database;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * {@code archive [--date D | --from D1 --to D2] [--site S]}: the one-shot run for a Cloud Run job
 * or an operator. Without dates it does what the nightly schedule does (yesterday plus any earlier
 * day that has rows but no manifest). Exit 0 when every site's day is archived, 1 when one failed
 * or the target or database cannot be used, 2 for bad arguments.
 */
@ApplicationScoped
public class ArchiveCommand {
    public static final String USAGE = "archive [--date YYYY-MM-DD | --from YYYY-MM-DD --to YYYY-MM-DD] [--site SITE_ID]\n"
            + "                 write each site's day of each table as CSV to ess.archive.target, then the manifest\n"
            + "                 (no dates: yesterday and earlier days without a manifest, as the nightly job does)";
    static final int MAX_DAYS = 3660;

    @Inject
    EssConfig config;
    @Inject
    Database database;

    /** What to archive, from the command line; null dates mean "what is pending". */
    record Request(LocalDate from, LocalDate to, Optional<String> site) {
    }

    public int run(String[] args) {
        return run(args, System.out);
    }

    int run(String[] args, PrintStream out) {
        Request request = parse(args);
        ArchiveSettings settings = ArchiveSettings.from(config.archive());
        LocalDate today = LocalDate.now(settings.zone());
        if (request.to() != null && request.to().isAfter(today)) {
            throw new CliException("archive: " + request.to() + " is in the future (today is " + today + " in "
                    + settings.zone() + ", ess.archive.zone)");
        }
        try (Archiver archiver = Archiver.open(settings, database::settings)) {
            ConsoleProgress progress = new ConsoleProgress(out);
            List<SiteDayResult> results;
            if (request.from() == null) {
                LocalDate yesterday = archiver.yesterday();
                out.printf("archive: %s and up to %d earlier day(s) without a manifest, zone %s, to %s%n", yesterday,
                        settings.backfillDays(), settings.zone(), settings.target());
                results = archiver.archivePending(yesterday, request.site(), progress);
            } else {
                out.printf("archive: %s%s, zone %s, to %s%n", request.from(),
                        request.to().equals(request.from()) ? "" : " to " + request.to(), settings.zone(), settings.target());
                results = archiver.archiveRange(request.from(), request.to(), request.site(), progress);
            }
            return summarize(results, request, out);
        } catch (ArchiveException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
    }

    static Request parse(String[] args) {
        CliArgs a = CliArgs.parse("archive", args, CliArgs.options("--date", "--from", "--to", "--site"));
        LocalDate date = a.date("--date");
        LocalDate from = a.date("--from");
        LocalDate to = a.date("--to");
        if (date != null && (from != null || to != null)) {
            throw new CliException("archive: --date cannot be combined with --from/--to; give one day or a range");
        }
        if ((from == null) != (to == null)) {
            throw new CliException("archive: " + (from == null ? "--to needs --from" : "--from needs --to") + " (a range is --from D1 --to D2)");
        }
        if (from != null && from.isAfter(to)) {
            throw new CliException("archive: --from " + from + " is after --to " + to);
        }
        if (from != null && ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
            throw new CliException("archive: the range " + from + ".." + to + " is longer than " + MAX_DAYS + " days");
        }
        Optional<String> site = Optional.ofNullable(a.string("--site", null));
        if (site.isPresent() && site.get().isBlank()) {
            throw new CliException("archive: --site needs a site id (\"SITE_ID\")");
        }
        return date != null ? new Request(date, date, site) : new Request(from, to, site);
    }

    private static int summarize(List<SiteDayResult> results, Request request, PrintStream out) {
        if (results.isEmpty()) {
            out.println("archive: nothing to archive" + request.site().map(s -> " for site " + s).orElse("")
                    + (request.from() == null ? " (every day with rows has a manifest)" : " (no rows in the window)"));
            return 0;
        }
        long files = 0;
        long rows = 0;
        int[] outcomes = new int[PutResult.Outcome.values().length];
        int failed = 0;
        for (SiteDayResult r : results) {
            for (TableResult t : r.tables()) {
                files++;
                rows += t.rows();
                outcomes[t.put().outcome().ordinal()]++;
            }
            if (!r.ok()) {
                failed++;
                System.err.printf("error: %s %s: %s%n", r.site(), r.window().day(),
                        r.lockedElsewhere() ? "being archived by another process (advisory lock held); try again later" : r.error());
            }
        }
        out.printf(Locale.ROOT, "archive: %d site-day(s), %d file(s), %d row(s): %d created, %d replaced, %d unchanged%s%n",
                results.size(), files, rows, outcomes[0], outcomes[1], outcomes[2], failed == 0 ? "" : "; " + failed + " FAILED");
        return failed == 0 ? 0 : 1;
    }

    /** One line per site-day and per table; a heartbeat every 10 s while a long table copies. */
    private static final class ConsoleProgress implements ArchiveListener {
        private final PrintStream out;

        ConsoleProgress(PrintStream out) {
            this.out = out;
        }

        @Override
        public void siteDayStarted(String site, DayWindow w) {
            out.printf("%s %s: [%s, %s) %.0f h%n", w.day(), site, w.start(), w.end(), w.length().toMinutes() / 60.0);
        }

        @Override
        public void tableProgress(String site, DayWindow w, String table, long csvBytes) {
            out.printf(Locale.ROOT, "%s %s:   %s ... %.1f MiB of CSV so far%n", w.day(), site, table, csvBytes / 1048576.0);
        }

        @Override
        public void tableDone(String site, DayWindow w, TableResult r) {
            out.printf(Locale.ROOT, "%s %s:   %-12s %9d rows %10.1f KiB  %-9s %s (%.1f s)%n", w.day(), site, r.table(), r.rows(),
                    r.checksums().bytes() / 1024.0, r.put().outcome().name().toLowerCase(Locale.ROOT), r.object(),
                    r.took().toMillis() / 1000.0);
        }

        @Override
        public void siteDayDone(SiteDayResult r) {
            if (r.manifest() != null) {
                out.printf("%s %s:   manifest %s (%d table(s), %d without rows)%n", r.window().day(), r.site(),
                        r.manifest().outcome().name().toLowerCase(Locale.ROOT), r.tables().size(), r.emptyTables().size());
            }
        }
    }
}
