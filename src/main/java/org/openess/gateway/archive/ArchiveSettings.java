package org.openess.gateway.archive;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;

import org.openess.gateway.config.EssConfig;
import org.openess.gateway.config.ArchiveZones;

/**
 * {@code ess.archive.*} as the archive uses it. Ranges, the zone and the cron are checked by the
 * constraints on {@link EssConfig.Archive} at start-up; what is left here needs the target or the
 * file system, and every refusal names the key and the accepted values.
 */
public record ArchiveSettings(ZoneId zone, TargetLocation target, boolean gzip, int backfillDays, Path workDir, Gcs gcs) {

    /** The Cloud Storage client settings; endpoint and credentials file are empty when unset. */
    public record Gcs(Optional<String> projectId, Optional<Path> credentialsFile, Optional<String> endpoint, Duration timeout,
            int maxAttempts, Duration initialRetryDelay, Duration maxRetryDelay, int chunkSize) {
    }

    static final int CHUNK_GRANULE = 256 * 1024;

    public static ArchiveSettings from(EssConfig.Archive c) {
        String target = c.target().filter(t -> !t.isBlank()).orElseThrow(() -> new IllegalArgumentException(
                "ess.archive.target is not set: give gs://bucket/prefix or file:///dir (env ESS_ARCHIVE_TARGET)"));
        return new ArchiveSettings(ArchiveZones.parse(c.zone()), TargetLocation.parse(target), gzip(c.compression()), c.backfillDays(),
                workDir(c.workDir()), gcs(c.gcs()));
    }

    static boolean gzip(String compression) {
        return compression.trim().equalsIgnoreCase("gzip");
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
        long chunk = g.chunkSize().asLongValue();
        if (chunk < CHUNK_GRANULE || chunk % CHUNK_GRANULE != 0 || chunk > 1024L * 1024 * 1024) {
            throw new IllegalArgumentException("ess.archive.gcs.chunk-size: must be a multiple of 256K between 256K and 1G, got "
                    + chunk + " bytes");
        }
        return new Gcs(g.projectId().filter(p -> !p.isBlank()), credentials, endpoint.map(e -> e.replaceAll("/$", "")),
                g.timeout(), g.maxAttempts(), g.initialRetryDelay(), g.maxRetryDelay(), (int) chunk);
    }
}
