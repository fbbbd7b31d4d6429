package org.openess.gateway.archive;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;

import org.openess.gateway.config.EssConfig;

/** {@code ess.archive.*} checked once; every refusal names the key and the accepted values. */
public record ArchiveSettings(ZoneId zone, TargetLocation target, boolean gzip, int backfillDays, Path workDir, Gcs gcs) {

    /** The Cloud Storage client settings; endpoint and credentials file are empty when unset. */
    public record Gcs(Optional<String> projectId, Optional<Path> credentialsFile, Optional<String> endpoint, Duration timeout,
            int maxAttempts, int chunkSize) {
    }

    static final int CHUNK_GRANULE = 256 * 1024;

    public static ArchiveSettings from(EssConfig.Archive c) {
        String target = c.target().filter(t -> !t.isBlank()).orElseThrow(() -> new IllegalArgumentException(
                "ess.archive.target is not set: give gs://bucket/prefix or file:///dir (env ESS_ARCHIVE_TARGET)"));
        return new ArchiveSettings(zone(c.zone()), TargetLocation.parse(target), gzip(c.compression()), backfill(c.backfillDays()),
                workDir(c.workDir()), gcs(c.gcs()));
    }

    static ZoneId zone(String zone) {
        ZoneId id;
        try {
            id = ZoneId.of(zone.trim());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("ess.archive.zone: '" + zone + "' is not a time zone (" + e.getMessage()
                    + "); use an IANA name such as Asia/Seoul, Europe/Berlin or UTC");
        }
        // PostgreSQL reads a bare "+09:00" time zone with the POSIX sign (west positive), the opposite
        // of ISO; refusing offsets other than UTC keeps both sides of the window agreeing
        if (id instanceof ZoneOffset o && o.getTotalSeconds() != 0) {
            throw new IllegalArgumentException("ess.archive.zone: fixed offset '" + zone
                    + "' is not supported; use an IANA region name (Asia/Seoul) or UTC");
        }
        if (!(id instanceof ZoneOffset) && id.getId().matches("(?i)(UTC|GMT|UT)[+-].*")) {
            throw new IllegalArgumentException("ess.archive.zone: '" + zone + "' is an offset, not a region; use an IANA region "
                    + "name (Asia/Seoul) or UTC");
        }
        return id instanceof ZoneOffset ? ZoneId.of("UTC") : id;
    }

    static boolean gzip(String compression) {
        return switch (compression.trim().toLowerCase(Locale.ROOT)) {
            case "none" -> false;
            case "gzip" -> true;
            default -> throw new IllegalArgumentException("ess.archive.compression: expected none or gzip, got '" + compression + "'");
        };
    }

    static int backfill(int days) {
        if (days < 0 || days > 3660) {
            throw new IllegalArgumentException("ess.archive.backfill-days: must be 0..3660, got " + days);
        }
        return days;
    }

    static Path workDir(Optional<String> dir) {
        Path p = Path.of(dir.filter(d -> !d.isBlank()).orElse(System.getProperty("java.io.tmpdir")));
        if (dir.isPresent() && !dir.get().isBlank() && !Files.isDirectory(p)) {
            throw new IllegalArgumentException("ess.archive.work-dir: '" + dir.get() + "' is not a folder");
        }
        return p;
    }

    static Gcs gcs(EssConfig.Archive.Gcs g) {
        Optional<Path> credentials = g.credentialsFile().filter(f -> !f.isBlank()).map(Path::of);
        if (credentials.isPresent() && !Files.isReadable(credentials.get())) {
            throw new IllegalArgumentException("ess.archive.gcs.credentials-file: cannot read '" + credentials.get()
                    + "' (a service-account key JSON; leave unset to use Application Default Credentials)");
        }
        Optional<String> endpoint = g.endpoint().filter(e -> !e.isBlank()).map(String::trim);
        if (endpoint.isPresent() && !endpoint.get().matches("https?://[^/]+/?")) {
            throw new IllegalArgumentException("ess.archive.gcs.endpoint: expected http(s)://host:port, got '" + endpoint.get() + "'");
        }
        if (g.timeout().toMillis() < 100) {
            throw new IllegalArgumentException("ess.archive.gcs.timeout: must be at least 100ms, got " + g.timeout());
        }
        if (g.maxAttempts() < 1 || g.maxAttempts() > 100) {
            throw new IllegalArgumentException("ess.archive.gcs.max-attempts: must be 1..100, got " + g.maxAttempts());
        }
        long chunk = g.chunkSize().asLongValue();
        if (chunk < CHUNK_GRANULE || chunk % CHUNK_GRANULE != 0 || chunk > 1024L * 1024 * 1024) {
            throw new IllegalArgumentException("ess.archive.gcs.chunk-size: must be a multiple of 256K between 256K and 1G, got "
                    + chunk + " bytes");
        }
        return new Gcs(g.projectId().filter(p -> !p.isBlank()), credentials, endpoint.map(e -> e.replaceAll("/$", "")),
                g.timeout(), g.maxAttempts(), (int) chunk);
    }
}
