package org.openess.gateway.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.quarkus.runtime.configuration.DurationConverter;

/**
 * {@code ess.timescale.*} parsed: each key is {@code off} or a duration. The single-key bounds are
 * checked with the configuration ({@link DurationOrOff}); what depends on two keys is checked here,
 * when the service prepares and when the {@code retention} command starts, and every refusal names
 * the keys.
 */
public record TimescaleSettings(Optional<Duration> compressAfter, List<Rollup> rollups, Optional<Duration> retainRaw,
        Optional<Duration> retainRollups) {

    /**
     * A rollup's refresh window reaches this far back: a late row (a spool replayed after an outage)
     * is aggregated while it is younger than this. Dropping raw rows inside that window would make a
     * refresh delete the materialized buckets of the dropped time, hence {@link #MIN_RETAIN_RAW_WITH_ROLLUPS}.
     */
    public static final Duration REFRESH_WINDOW = Duration.ofDays(7);
    /** The refresh window plus a day: no refresh ever looks at a time whose raw rows are gone. */
    public static final Duration MIN_RETAIN_RAW_WITH_ROLLUPS = REFRESH_WINDOW.plusDays(1);
    /** Without rollups: yesterday must stay until the nightly archive has written and verified it. */
    public static final Duration MIN_RETAIN_RAW = Duration.ofDays(1);

    /** The keys' defaults: compression after 2d, rollups at 1m and 15m, no retention. */
    public static final TimescaleSettings DEFAULTS = new TimescaleSettings(Optional.of(Duration.ofDays(2)),
            List.of(new Rollup("1m", Duration.ofMinutes(1)), new Rollup("15m", Duration.ofMinutes(15))), Optional.empty(), Optional.empty());

    /** One rollup: its name suffix ({@code 1m}) and bucket width. */
    public record Rollup(String label, Duration bucket) {
        /** The rollup of {@code table}: {@code <table>_<label>}. */
        public String viewOf(String table) {
            return table + "_" + label;
        }
    }

    public static TimescaleSettings from(EssConfig.Timescale t) {
        return of(t.compressAfter(), t.rollups(), t.retainRaw(), t.retainRollups());
    }

    /** The four keys' values as written: {@code compress-after}, {@code rollups}, {@code retain-raw}, {@code retain-rollups}. */
    public static TimescaleSettings of(String compressAfter, String rollupList, String retainRaw, String retainRollups) {
        Keys t = new Keys(compressAfter, rollupList, retainRaw, retainRollups);
        Optional<Duration> compress = parse("ess.timescale.compress-after", t.compressAfter());
        List<Rollup> rollups = rollups(t.rollups());
        Optional<Duration> raw = parse("ess.timescale.retain-raw", t.retainRaw());
        Optional<Duration> kept = parse("ess.timescale.retain-rollups", t.retainRollups());
        if (raw.isPresent() && !rollups.isEmpty() && raw.get().compareTo(MIN_RETAIN_RAW_WITH_ROLLUPS) < 0) {
            throw new IllegalArgumentException("ess.timescale.retain-raw=" + t.retainRaw() + " is shorter than "
                    + MIN_RETAIN_RAW_WITH_ROLLUPS.toDays() + "d while ess.timescale.rollups=" + t.rollups()
                    + ": the rollups are refreshed over the last " + REFRESH_WINDOW.toDays()
                    + " days and would lose the buckets of dropped raw rows; give at least 8d or set ess.timescale.rollups=off");
        }
        if (kept.isPresent() && raw.isPresent() && kept.get().compareTo(raw.get()) < 0) {
            throw new IllegalArgumentException("ess.timescale.retain-rollups=" + t.retainRollups()
                    + " is shorter than ess.timescale.retain-raw=" + t.retainRaw() + ": rollups are the long-term history; keep them"
                    + " at least as long as the raw rows (or set retain-rollups=off)");
        }
        if (kept.isPresent() && kept.get().compareTo(MIN_RETAIN_RAW_WITH_ROLLUPS) < 0) {
            throw new IllegalArgumentException("ess.timescale.retain-rollups=" + t.retainRollups() + " is shorter than "
                    + MIN_RETAIN_RAW_WITH_ROLLUPS.toDays() + "d, the rollups' refresh window plus a day");
        }
        return new TimescaleSettings(compress, rollups, raw, kept);
    }

    /** {@code 8d}, {@code 36h}, {@code 90m} or {@code 45s}: how the keys are written. */
    public static String label(Duration d) {
        long s = d.toSeconds();
        return s % 86400 == 0 ? s / 86400 + "d" : s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    private record Keys(String compressAfter, String rollups, String retainRaw, String retainRollups) {
    }

    /** Empty for {@code off}; the duration otherwise (refused with the key when it is neither). */
    public static Optional<Duration> parse(String key, String value) {
        String v = value == null ? "" : value.trim();
        if (isOff(v)) {
            return Optional.empty();
        }
        try {
            return Optional.of(DurationConverter.parseDuration(v));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + "='" + value + "' is neither off nor a duration such as 2d, 36h or PT48H");
        }
    }

    static boolean isOff(String v) {
        return v.equalsIgnoreCase("off") || v.equalsIgnoreCase("disabled") || v.equalsIgnoreCase("false");
    }

    /** {@code off} or a comma-separated list of bucket widths, each whole minutes from 1m to 1d, finest first. */
    public static List<Rollup> rollups(String value) {
        String v = value == null ? "" : value.trim();
        if (isOff(v)) {
            return List.of();
        }
        List<Rollup> out = new ArrayList<>();
        for (String part : v.split(",")) {
            String label = part.trim().toLowerCase(Locale.ROOT);
            if (!label.matches("[1-9][0-9]*[mhd]")) {
                throw new IllegalArgumentException("ess.timescale.rollups: '" + part.trim() + "' is not a bucket width such as 1m, 15m "
                        + "or 1h (digits and m, h or d); give a list such as 1m,15m, or off");
            }
            Duration d = DurationConverter.parseDuration(label);
            if (d.compareTo(Duration.ofMinutes(1)) < 0 || d.compareTo(Duration.ofDays(1)) > 0 || Duration.ofDays(1).toSeconds() % d.toSeconds() != 0) {
                throw new IllegalArgumentException("ess.timescale.rollups: " + label + " must be between 1m and 1d and divide a day");
            }
            if (!out.isEmpty() && out.get(out.size() - 1).bucket().compareTo(d) >= 0) {
                throw new IllegalArgumentException("ess.timescale.rollups: list the widths finest first, each once (" + value + ")");
            }
            out.add(new Rollup(label, d));
        }
        return List.copyOf(out);
    }
}
