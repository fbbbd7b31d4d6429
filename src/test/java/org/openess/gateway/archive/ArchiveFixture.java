package org.openess.gateway.archive;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.openess.gateway.decode.CycleDecoder;
import org.openess.gateway.profile.ProfileLoader;
import org.openess.gateway.storage.JdbcSettings;
import org.openess.gateway.storage.SchemaManager;
import org.openess.gateway.testsupport.TestDatabase;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;

/** A test database with the gateway's real schema (operation1 tables, ess_quality, ess_gaps) and archive settings. */
final class ArchiveFixture {
    private ArchiveFixture() {
    }

    static TestDatabase databaseWithSchema(String prefix) {
        TestDatabase db = TestDatabase.create(prefix);
        Vertx vertx = Vertx.vertx();
        try {
            Pool pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(db.reactiveUrl())).using(vertx).build();
            new SchemaManager(true, Duration.ofDays(1))
                    .apply(pool, List.copyOf(CycleDecoder.layoutsOf(ProfileLoader.load("operation1")).values()))
                    .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            pool.close();
        } catch (Exception e) {
            db.close();
            throw new IllegalStateException("cannot create the schema: " + e, e);
        } finally {
            vertx.close();
        }
        return db;
    }

    /** The archive's connection as the service derives it from quarkus.datasource.reactive.url. */
    static JdbcSettings settingsOf(TestDatabase db) {
        return JdbcSettings.from(new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(db.quarkusConfig(), "test", 100)).build());
    }

    static ArchiveSettings local(Path dir, String zone, boolean gzip, int backfillDays) {
        return new ArchiveSettings(ZoneId.of(zone), new TargetLocation.LocalFolder(dir), gzip, backfillDays,
                Path.of(System.getProperty("java.io.tmpdir")), gcsDefaults(Optional.empty()));
    }

    static ArchiveSettings.Gcs gcsDefaults(Optional<String> endpoint) {
        return new ArchiveSettings.Gcs(Optional.empty(), Optional.empty(), endpoint, Duration.ofSeconds(60), 6, Duration.ofMillis(500),
                Duration.ofSeconds(16), 16 * 1024 * 1024);
    }

    /** One rack row: BANK_ID 1, the given rack, RACK_SOC and RACK_VOLTAGE set, every other point NULL. */
    static String rackRow(String site, String timestamp, int rack, Double soc, Double voltage) {
        return "INSERT INTO rack (\"TIMESTAMP\", \"SITE_ID\", \"BANK_ID\", \"RACK_ID\", \"RACK_SOC\", \"RACK_VOLTAGE\") VALUES ('"
                + timestamp + "', '" + site.replace("'", "''") + "', 1, " + rack + ", " + soc + ", " + voltage + ")";
    }
}
