package org.openess.gateway.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Every {@code ess.*} key. The README lists each one; keep both in step. Durations take
 * SmallRye's forms ({@code 1s}, {@code 500ms}, {@code PT1S}).
 */
@ConfigMapping(prefix = "ess")
public interface EssConfig {

    /** {@code ess.devices."<id>".*}: one entry per polled device; the id is stored as "SITE_ID". */
    Map<String, Device> devices();

    Modbus modbus();

    Storage storage();

    Simulator simulator();

    @WithName("embedded-database")
    EmbeddedDatabase embeddedDatabase();

    Archive archive();

    /** {@code ess.sunspec.*}: discovery of devices configured with {@code profile: sunspec}. */
    Sunspec sunspec();

    interface Device {
        /** Host name or address of the device's Modbus TCP server. Required. */
        String host();

        @WithDefault("502")
        int port();

        @WithName("unit-id")
        @WithDefault("1")
        int unitId();

        /** A built-in profile name ({@code operation1}) or a path to a YAML/JSON profile. */
        @WithDefault("operation1")
        String profile();

        @WithName("poll-interval")
        @WithDefault("1s")
        Duration pollInterval();

        /** Per-request response timeout. */
        @WithDefault("500ms")
        Duration timeout();

        /** Registers per read, at most 125; lower it for devices that refuse long reads. */
        @WithName("max-registers")
        @WithDefault("125")
        int maxRegisters();

        /** Unused registers a read may bridge inside a declared area to save a round trip. */
        @WithName("max-gap")
        @WithDefault("125")
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
        int batchRows();

        /** How often buffered rows are flushed when no batch fills up. */
        @WithName("flush-interval")
        @WithDefault("50ms")
        Duration flushInterval();

        /** INSERT statements in flight at once. */
        @WithName("max-in-flight")
        @WithDefault("4")
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

        /** Holding-register addresses probed, in order, for the {@code SunS} marker. */
        @WithDefault("40000,0,50000")
        java.util.List<Integer> bases();
    }

    interface EmbeddedDatabase {
        /**
         * Start an embedded PostgreSQL when no {@code quarkus.datasource.reactive.url} is set.
         * On by default in dev mode only.
         */
        @WithDefault("false")
        boolean enabled();

        /** 0 picks a free port. */
        @WithDefault("0")
        int port();

        /** Keep data here across runs; empty: a fresh temporary folder per run. */
        @WithName("data-dir")
        Optional<String> dataDir();
    }

    interface Archive {
        /** Zone whose midnights bound an archived day (an IANA region such as Asia/Seoul, or UTC). */
        @WithDefault("Asia/Seoul")
        String zone();

        /**
         * {@code gs://bucket/prefix} or {@code file:///dir} ({@code file:relative/dir} also works).
         * Unset: the service archives nothing and the archive command refuses to run.
         */
        Optional<String> target();

        /** none or gzip. */
        @WithDefault("none")
        String compression();

        /** quarkus-scheduler cron, evaluated in the archive zone; "off" disables. */
        @WithDefault("0 10 0 * * ?")
        String cron();

        /**
         * How many days before yesterday a scheduled run (or the command without dates) looks
         * back for days that have rows but no manifest; 0 looks at yesterday only.
         */
        @WithName("backfill-days")
        @WithDefault("30")
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
            Duration timeout();

            /** Attempts per request (the first one included) on 408/429/5xx and network errors. */
            @WithName("max-attempts")
            @WithDefault("6")
            int maxAttempts();

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
