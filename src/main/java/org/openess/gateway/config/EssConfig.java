package org.openess.gateway.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

/**
 * Every {@code ess.*} key. docs/configuration.md lists each one (DocumentedKeysTest keeps both in step). Durations take
 * SmallRye's forms ({@code 1s}, {@code 500ms}, {@code PT1S}). The constraints are checked when the
 * application starts (quarkus-hibernate-validator); a refusal names the key and stops start-up
 * with exit code 1, every wrong key at once.
 */
@ConfigMapping(prefix = "ess")
public interface EssConfig {

    /** {@code ess.devices."<id>".*}: one entry per polled device; the id is stored as "SITE_ID". */
    Map<String, Device> devices();

    Modbus modbus();

    Storage storage();

    Simulator simulator();

    Spool spool();

    Shutdown shutdown();

    @WithName("embedded-database")
    EmbeddedDatabase embeddedDatabase();

    Archive archive();

    /** {@code ess.sunspec.*}: discovery of devices configured with {@code profile: sunspec}. */
    Sunspec sunspec();

    /** {@code ess.timescale.*}: compression, rollups and retention (docs/data-lifecycle.md). */
    Timescale timescale();

    /** One device; how it is reached over a serial line or RTU framing is {@link DeviceLineKeys}. */
    interface Device extends DeviceLineKeys {
        /**
         * Host name or address of the device's Modbus TCP server (or of the converter for
         * {@code rtu-over-tcp}). Required unless the transport is {@code rtu}; the device catalog
         * names it when it is missing.
         */
        Optional<@Pattern(regexp = DeviceLineKeys.NOT_BLANK, message = "must not be blank") String> host();

        @WithDefault("502")
        @Min(1)
        @Max(65535)
        int port();

        @WithName("unit-id")
        @WithDefault("1")
        @Min(0)
        @Max(255)
        int unitId();

        /** A built-in profile name ({@code operation1}) or a path to a YAML/JSON profile. */
        @WithDefault("operation1")
        String profile();

        @WithName("poll-interval")
        @WithDefault("1s")
        @DurationMin(millis = 100, message = "must be at least 100ms")
        @DurationMax(hours = 1, message = "must be at most 1h")
        Duration pollInterval();

        /** Per-request response timeout. */
        @WithDefault("500ms")
        @DurationMin(millis = 10, message = "must be at least 10ms")
        Duration timeout();

        /**
         * Pause between the reads of a cycle, for devices that drop a request sent right after the
         * previous answer. Other units behind the same gateway use the link meanwhile.
         */
        @WithName("request-gap")
        @WithDefault("0ms")
        @DurationMin(millis = 0, message = "must not be negative")
        @DurationMax(seconds = 60, message = "must be at most 60s")
        Duration requestGap();

        /**
         * Wait after a TCP connect before the first request, for devices that are not ready at
         * once. Units sharing a gateway connection wait the longest of theirs.
         */
        @WithName("connect-delay")
        @WithDefault("0ms")
        @DurationMin(millis = 0, message = "must not be negative")
        @DurationMax(seconds = 60, message = "must be at most 60s")
        Duration connectDelay();

        /** Registers per read, 4..125 (a 64-bit value needs 4); lower it for devices that refuse long reads. */
        @WithName("max-registers")
        @WithDefault("125")
        @Min(value = 4, message = "must be at least 4 (a 64-bit value needs 4 registers)")
        @Max(value = 125, message = "must be at most 125 (the Modbus limit of one read)")
        int maxRegisters();

        /** Unused registers a read may bridge inside a declared area to save a round trip. */
        @WithName("max-gap")
        @WithDefault("125")
        @Min(0)
        int maxGap();

        @WithDefault("true")
        boolean enabled();
    }

    interface Modbus {
        /** First reconnect delay after a connection fails; doubles up to reconnect-max, with jitter. */
        @WithName("reconnect-min")
        @WithDefault("500ms")
        Duration reconnectMin();

        @WithName("reconnect-max")
        @WithDefault("30s")
        Duration reconnectMax();

        /**
         * Timeouts in a row, across every unit on one connection, after which the connection is
         * presumed half-open (the peer is gone without a FIN) and reopened.
         */
        @WithName("reopen-after-timeouts")
        @WithDefault("3")
        @Min(1)
        int reopenAfterTimeouts();

        /** Pause before the single retry of a read answered with exception 06 (server busy). */
        @WithName("busy-retry-delay")
        @WithDefault("100ms")
        @DurationMin(millis = 0, message = "must not be negative")
        @DurationMax(seconds = 10, message = "must be at most 10s")
        Duration busyRetryDelay();

        /** While devices stay degraded or offline, one line per this interval counts them by state and cause. */
        @WithName("log-summary-interval")
        @WithDefault("5m")
        @DurationMin(seconds = 1, message = "must be at least 1s")
        Duration logSummaryInterval();

        /**
         * After a start each device first connects and reads at an offset in [0, start-spread)
         * drawn from its id, so a large site is not hit in one millisecond; 0 starts every device at once,
         * and so does a site of no more devices than max-concurrent-connects.
         */
        @WithName("start-spread")
        @WithDefault("1s")
        @DurationMin(millis = 0, message = "must not be negative")
        @DurationMax(minutes = 10, message = "must be at most 10m")
        Duration startSpread();

        /** TCP connects in flight at once across the gateway (first connects and reconnects); the rest wait in turn. */
        @WithName("max-concurrent-connects")
        @WithDefault("64")
        @Min(value = 1, message = "must be at least 1")
        int maxConcurrentConnects();

        /**
         * Device lines (state changes, connection problems) logged per log-interval; beyond it they
         * are counted and summarised in one line per interval.
         */
        @WithName("log-lines")
        @WithDefault("20")
        @Min(value = 0, message = "must not be negative")
        int logLines();

        /** The window of log-lines, and how often the summary of what it held back is written. */
        @WithName("log-interval")
        @WithDefault("10s")
        @DurationMin(seconds = 1, message = "must be at least 1s")
        Duration logInterval();
    }

    interface Storage {
        /** Rows buffered in memory while the database is slow or down; beyond it new rows are dropped and counted. */
        @WithName("buffer-rows")
        @WithDefault("200000")
        int bufferRows();

        /**
         * Rows per INSERT statement (one UNNEST of column arrays). 1,000 rather than larger: a
         * row waits for its whole batch, so big batches add latency (bench/ingest.sh, N=1000:
         * p99 tick-to-commit 1.65 s with 4,000 rows and 200 ms, 0.87 s with 1,000 and 50 ms).
         */
        @WithName("batch-rows")
        @WithDefault("1000")
        @Min(1)
        int batchRows();

        /** How often buffered rows are flushed when no batch fills up. */
        @WithName("flush-interval")
        @WithDefault("50ms")
        @DurationMin(millis = 1, message = "must be at least 1ms")
        Duration flushInterval();

        /** INSERT statements in flight at once. */
        @WithName("max-in-flight")
        @WithDefault("4")
        @Min(1)
        int maxInFlight();

        /** Wait after a failed write before the next attempt; doubles up to retry-max. */
        @WithName("retry-min")
        @WithDefault("500ms")
        Duration retryMin();

        @WithName("retry-max")
        @WithDefault("15s")
        Duration retryMax();

        /** Create the timescaledb extension and hypertables when the database offers it. */
        @WithDefault("true")
        boolean timescaledb();

        /** Chunk interval of new hypertables. */
        @WithName("chunk-interval")
        @WithDefault("1d")
        Duration chunkInterval();
    }

    /**
     * The data lifecycle on TimescaleDB: raw rows are compressed, rolled up, archived, and dropped only
     * once the archive holds them. Each key is {@code off} or a duration; what needs the community
     * edition is skipped with one log line on the Apache edition and on plain PostgreSQL.
     */
    interface Timescale {
        /** Compress chunks whose newest row is older than this; off: never (TimescaleDB community edition only). */
        @WithName("compress-after")
        @WithDefault("2d")
        @DurationOrOff(minHours = 1)
        String compressAfter();

        /** Bucket widths of the rollups {@code <table>_<width>}, finest first; off: none. */
        @WithDefault("1m,15m")
        @Pattern(regexp = "\\s*(?i:off|disabled|false|[1-9][0-9]*[mhd](\\s*,\\s*[1-9][0-9]*[mhd])*)\\s*",
                message = "must be off or a list of bucket widths such as 1m,15m")
        String rollups();

        /** Drop raw rows of days older than this once the archive holds them verified; off: keep them. */
        @WithName("retain-raw")
        @WithDefault("off")
        @DurationOrOff(minHours = 24)
        String retainRaw();

        /** Drop rollup buckets older than this (a policy on the community edition, the gateway's refresh on the Apache edition); off: keep them. */
        @WithName("retain-rollups")
        @WithDefault("off")
        @DurationOrOff(minHours = 24)
        String retainRollups();
    }

    /** The durable spool between acquisition and the database (docs/spool-and-outages.md). */
    interface Spool {
        /** Folder of the spool; unset: rows wait in memory only (ess.storage.buffer-rows), as the log says at start. */
        Optional<String> dir();

        /** interval (group commit every sync-interval), always (fsync before a cycle counts as taken), never. */
        @WithDefault("interval")
        SyncPolicy sync();

        @WithName("sync-interval")
        @WithDefault("200ms")
        @DurationMin(millis = 1, message = "must be at least 1ms")
        Duration syncInterval();

        /** Disk the spool may use; 256M holds 27 h of one operation1 site at 2,730 bytes a cycle (docs/spool-and-outages.md). */
        @WithName("max-bytes")
        @WithDefault("256M")
        @WithConverter(MemorySizeConverter.class)
        MemorySize maxBytes();

        /** drop-oldest or drop-newest; either way every dropped tick is recorded in ess_gaps. */
        @WithName("when-full")
        @WithDefault("drop-oldest")
        WhenFull whenFull();

        /** Size at which a segment file is closed and a new one started (at most max-bytes / 8). */
        @WithName("segment-bytes")
        @WithDefault("16M")
        @WithConverter(MemorySizeConverter.class)
        MemorySize segmentBytes();

        /** Cap on backlog rows replayed per second; 0: adaptive (whatever the database takes beside live data). */
        @WithName("replay-rows-per-second")
        @WithDefault("0")
        @Min(0)
        int replayRowsPerSecond();

        /** Cycles waiting for the spool thread; when full, further cycles go to the memory buffer (counted). */
        @WithName("handoff-cycles")
        @WithDefault("10000")
        @Min(1)
        int handoffCycles();
    }

    interface Shutdown {
        /** On SIGTERM: how long stopping may take (spool: flush to disk; memory: wait for the database). */
        @WithDefault("10s")
        Duration timeout();
    }

    interface Simulator {
        /** Run simulated devices inside the service (the dev-mode default). */
        @WithDefault("false")
        boolean enabled();

        @WithDefault("1")
        int devices();

        @WithName("base-port")
        @WithDefault("15020")
        int basePort();

        @WithDefault("127.0.0.1")
        String host();

        @WithDefault("operation1")
        String profile();

        /** Serve one range-checked point out of range every N seconds (exercises quality records); 0 = never. */
        @WithName("glitch-every")
        @WithDefault("0")
        int glitchEvery();

        /**
         * Every N seconds rack 1's hottest cell heats past the 50 °C warning limit, hovers there for
         * a minute and cools down (raises and ends one protection-map alarm); 0 = never.
         */
        @WithName("excursion-every")
        @WithDefault("0")
        int excursionEvery();
    }

    interface Sunspec {
        /**
         * A folder of SunSpec model files ({@code model_<id>.json}, the upstream SunSpec
         * {@code json/} format) used besides the built-in models; a file replaces the built-in
         * model with the same id. Unset: built-in models only.
         */
        @WithName("models-dir")
        Optional<String> modelsDir();

        /** Holding-register addresses probed, in order, for the {@code SunS} marker (40001: devices that count from 1). */
        @WithDefault("40000,40001,0,50000")
        java.util.List<Integer> bases();
    }

    /**
     * Dev mode and tests only: the production build has no embedded PostgreSQL, and there these
     * keys do nothing (see storage/EmbeddedDatabase).
     */
    interface EmbeddedDatabase {
        /**
         * Start an embedded PostgreSQL when {@code quarkus.datasource.reactive.url} points at
         * {@code 127.0.0.1:<port>}. On in dev mode, where the URL does so by default.
         */
        @WithDefault("false")
        boolean enabled();

        /** The embedded server's port (dev mode: 55433); 0 = none. */
        @WithDefault("0")
        int port();

        /** Keep data here across runs; empty: a fresh temporary folder per run. */
        @WithName("data-dir")
        Optional<String> dataDir();
    }

    interface Archive {
        /** Zone whose midnights bound an archived day (an IANA region such as Asia/Seoul, or UTC). */
        @WithDefault("Asia/Seoul")
        @ZoneRegion
        String zone();

        /**
         * {@code gs://bucket/prefix} or {@code file:///dir} ({@code file:relative/dir} also works).
         * Unset: the service archives nothing and the archive command refuses to run.
         */
        Optional<String> target();

        /** none or gzip. */
        @WithDefault("none")
        @Pattern(regexp = "\\s*(?i:none|gzip)\\s*", message = "must be none or gzip")
        String compression();

        /** quarkus-scheduler cron (Quartz syntax), evaluated in the archive zone; "off" or "disabled" turns it off. */
        @WithDefault("0 10 0 * * ?")
        @QuartzCron
        String cron();

        /**
         * How many days before yesterday a scheduled run (or the command without dates) looks
         * back for days that have rows but no manifest; 0 looks at yesterday only.
         */
        @WithName("backfill-days")
        @WithDefault("30")
        @Min(0)
        @Max(3660)
        int backfillDays();

        /**
         * Folder for the temporary CSV files of a gs:// target (a day of one table is written here,
         * checksummed, then uploaded). Empty: java.io.tmpdir. File targets write next to the final file.
         */
        @WithName("work-dir")
        Optional<String> workDir();

        Gcs gcs();

        interface Gcs {
            @WithName("project-id")
            Optional<String> projectId();

            /** Service-account key JSON; without it Application Default Credentials are used. */
            @WithName("credentials-file")
            Optional<String> credentialsFile();

            /**
             * Point the client at an emulator or test double, e.g. http://127.0.0.1:4443; no
             * credentials are sent there unless credentials-file is set.
             */
            Optional<String> endpoint();

            /** Connect and read timeout of each HTTP request to Cloud Storage. */
            @WithDefault("60s")
            @DurationMin(millis = 100, message = "must be at least 100ms")
            Duration timeout();

            /** Attempts per request (the first one included) on 408/429/5xx and network errors. */
            @WithName("max-attempts")
            @WithDefault("6")
            @Min(1)
            @Max(100)
            int maxAttempts();

            /**
             * Wait before the first retry of a failed request; each further wait doubles, up to
             * max-retry-delay. Every wait counts towards the request's total time.
             */
            @WithName("initial-retry-delay")
            @WithDefault("500ms")
            @DurationMin(millis = 1, message = "must be at least 1ms")
            Duration initialRetryDelay();

            @WithName("max-retry-delay")
            @WithDefault("16s")
            @DurationMin(millis = 1, message = "must be at least 1ms")
            Duration maxRetryDelay();

            /**
             * Files up to this size go up in one multipart request; larger ones in a resumable upload
             * of chunks of this size. A multiple of 256 KiB; it bounds the upload buffer's memory.
             */
            @WithName("chunk-size")
            @WithDefault("16M")
            @WithConverter(MemorySizeConverter.class)
            MemorySize chunkSize();
        }
    }
}
