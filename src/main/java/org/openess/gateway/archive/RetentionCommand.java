package org.openess.gateway.archive;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.openess.gateway.config.EssConfig;
import org.openess.gateway.config.HelpOption;
import org.openess.gateway.config.TimescaleSettings;
import org.openess.gateway.storage.Database;

import jakarta.inject.Inject;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What the nightly job does after the archive, on its own: drop the raw rows of days older than
 * {@code ess.timescale.retain-raw} (or {@code --retain-raw}) that the archive target verifies, and
 * list every day with the reason it is dropped or kept. {@code --dry-run} changes nothing.
 */
@Command(name = "retention", sortOptions = false, showDefaultValues = true,
        description = { "Drop raw rows of days older than ess.timescale.retain-raw, only days whose manifest in ess.archive.target "
                + "matches the database (row counts per table and site, files present); list each day and why it is dropped or kept.",
                "Days are midnight to midnight in ess.archive.zone; today is never dropped." },
        footer = { "", "Exit codes: 0 done (kept days are listed, not errors), 1 retention off, or the target or database cannot "
                + "be used, 2 bad command line." })
public class RetentionCommand implements Callable<Integer> {
    @Option(names = "--dry-run", description = "List what would be dropped and why; change nothing.")
    boolean dryRun;
    @Option(names = "--retain-raw", paramLabel = "AGE", converter = Age.class, description = "Instead of ess.timescale.retain-raw, "
            + "e.g. 30d.")
    String retainRaw;
    @Mixin
    HelpOption help;

    @Inject
    EssConfig config;
    @Inject
    Database database;

    /**
     * Checks the value while picocli parses, so a malformed age is a bad command line (exit 2, with
     * the option and the value) rather than a runtime error; the value stays text because
     * {@code off} passes here and is refused later with the reason.
     */
    static final class Age implements CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                TimescaleSettings.parse("--retain-raw", value);
                return value;
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("expects an age such as 30d, 36h or PT48H, got '" + value + "'");
            }
        }
    }

    @Override
    public Integer call() {
        return run(Instant.now(), System.out);
    }

    int run(Instant now, PrintStream out) {
        Duration age = age();
        ArchiveSettings settings = ArchiveSettings.from(config.archive());
        try (Archiver archiver = Archiver.open(settings, database::settings)) {
            out.printf("retention: raw rows older than %s, days up to %s in %s, verified against %s%s%n", TimescaleSettings.label(age),
                    new Retention(settings, null).lastEligibleDay(now, age), settings.zone(), settings.target(),
                    dryRun ? " (dry run: nothing is changed)" : "");
            Retention.Result r = archiver.retain(age, now, dryRun);
            if (r.lockedElsewhere()) {
                System.err.println("error: another process is running retention (advisory lock held); try again later");
                return 1;
            }
            for (Retention.DayVerdict d : r.days()) {
                if (d.verified()) {
                    out.printf(Locale.ROOT, "%s: %s: verified, %d site(s), %d row(s)%n", d.day(), dryRun ? "would drop" : "dropped",
                            d.sites(), d.rows());
                } else {
                    out.printf(Locale.ROOT, "%s: kept: %s%n", d.day(), String.join("; ", d.reasons()));
                }
            }
            out.printf(Locale.ROOT, "retention: %d day(s) %s, %d kept (not verified)%s%n", r.verified().size(),
                    dryRun ? "would be dropped" : "dropped", r.blocked().size(), dryRun ? ""
                            : String.format(Locale.ROOT, "; %d chunk(s) dropped, %d row(s) deleted", r.chunksDropped(), r.rowsDeleted()));
            return 0;
        } catch (ArchiveException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
    }

    /** --retain-raw or the key, with the key's bounds; off is refused (there is nothing to do). */
    private Duration age() {
        EssConfig.Timescale keys = config.timescale();
        TimescaleSettings s = TimescaleSettings.of(keys.compressAfter(), keys.rollups(), retainRaw == null ? keys.retainRaw() : retainRaw,
                keys.retainRollups());
        if (s.retainRaw().isEmpty()) {
            throw new IllegalArgumentException("retention is off: set ess.timescale.retain-raw (e.g. 30d) or give --retain-raw AGE");
        }
        if (s.retainRaw().get().compareTo(TimescaleSettings.MIN_RETAIN_RAW) < 0) {
            throw new IllegalArgumentException("--retain-raw " + retainRaw + " is shorter than 1d");
        }
        return s.retainRaw().get();
    }
}
