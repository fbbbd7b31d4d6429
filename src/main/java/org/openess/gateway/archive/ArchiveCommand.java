package org.openess.gateway.archive;

import java.io.PrintStream;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.openess.gateway.config.EssConfig;
import org.openess.gateway.config.HelpOption;
import org.openess.gateway.storage.Database;

import jakarta.inject.Inject;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The one-shot run for a Cloud Run job or an operator. Without dates it does what the nightly
 * schedule does (yesterday plus any earlier day that has rows but no manifest). Exit 0 when every
 * site's day is archived, 1 when one failed or the target or database cannot be used, 2 for bad
 * arguments.
 */
@Command(name = "archive", sortOptions = false, showDefaultValues = true,
        description = { "Write each site's day of each table as CSV to ess.archive.target, then the day's manifest.",
                "Without dates: yesterday and earlier days without a manifest (up to ess.archive.backfill-days), as the "
                        + "nightly job does. Days are midnight to midnight in ess.archive.zone." },
        footer = { "", "Exit codes: 0 every site's day archived (or nothing to do), 1 a site's day failed or the target or "
                + "database cannot be used, 2 bad command line." })
public class ArchiveCommand implements Callable<Integer> {
    static final int MAX_DAYS = 3660;

    @Option(names = "--date", paramLabel = "YYYY-MM-DD", converter = IsoDate.class, description = "Archive this one day.")
    LocalDate date;
    @Option(names = "--from", paramLabel = "YYYY-MM-DD", converter = IsoDate.class, description = "First day of a range "
            + "(with --to).")
    LocalDate from;
    @Option(names = "--to", paramLabel = "YYYY-MM-DD", converter = IsoDate.class, description = "Last day of a range, "
            + "inclusive (with --from).")
    LocalDate to;
    @Option(names = "--site", paramLabel = "SITE_ID", description = "Only this site (default: every site with rows).")
    String site;
    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;
    @Inject
    EssConfig config;
    @Inject
    Database database;

    /** What to archive, from the command line; null dates mean "what is pending". */
    record Request(LocalDate from, LocalDate to, Optional<String> site) {
    }

    /** picocli's own LocalDate conversion names the type, not the format the operator has to type. */
    static final class IsoDate implements CommandLine.ITypeConverter<LocalDate> {
        @Override
        public LocalDate convert(String value) {
            try {
                return LocalDate.parse(value.trim());
            } catch (DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("expects a date as YYYY-MM-DD, got '" + value + "'");
            }
        }
    }

    @Override
    public Integer call() {
        return run(request(), System.out);
    }

    int run(Request request, PrintStream out) {
        ArchiveSettings settings = ArchiveSettings.from(config.archive());
        LocalDate today = LocalDate.now(settings.zone());
        if (request.to() != null && request.to().isAfter(today)) {
            throw new ParameterException(spec.commandLine(), request.to() + " is in the future (today is " + today + " in "
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

    /** The options that only make sense together, checked together. */
    Request request() {
        if (date != null && (from != null || to != null)) {
            throw bad("--date cannot be combined with --from/--to; give one day or a range");
        }
        if ((from == null) != (to == null)) {
            throw bad((from == null ? "--to needs --from" : "--from needs --to") + " (a range is --from D1 --to D2)");
        }
        if (from != null && from.isAfter(to)) {
            throw bad("--from " + from + " is after --to " + to);
        }
        if (from != null && ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
            throw bad("the range " + from + ".." + to + " is longer than " + MAX_DAYS + " days");
        }
        if (site != null && site.isBlank()) {
            throw bad("--site needs a site id (\"SITE_ID\")");
        }
        Optional<String> s = Optional.ofNullable(site);
        return date != null ? new Request(date, date, s) : new Request(from, to, s);
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
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
