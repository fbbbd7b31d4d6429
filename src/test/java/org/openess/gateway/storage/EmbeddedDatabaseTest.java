package org.openess.gateway.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.FreePorts;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.sqlclient.Row;
import jakarta.inject.Inject;

/**
 * What {@code ./mvnw quarkus:dev} relies on: the %dev profile points the datasource at the
 * embedded server's port, and with such a URL the application starts a real PostgreSQL before
 * the first query (here on a free port, as in dev mode on 55433).
 */
@QuarkusTest
@TestProfile(EmbeddedDatabaseTest.PointsAtEmbedded.class)
@DbTest
class EmbeddedDatabaseTest {
    static final int PORT = FreePorts.one();

    public static class PointsAtEmbedded implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ess.embedded-database.enabled", "true", "ess.embedded-database.port", Integer.toString(PORT),
                    "quarkus.datasource.reactive.url", "postgresql://postgres:postgres@127.0.0.1:" + PORT + "/postgres");
        }
    }

    @Inject
    Database database;

    @Test
    void theDatasourceReachesTheEmbeddedServer() throws Exception {
        Row row = database.pool().query("SELECT current_setting('port'), version()").execute()
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).iterator().next();
        assertEquals(Integer.toString(PORT), row.getString(0));
        assertTrue(row.getString(1).startsWith("PostgreSQL"), row.getString(1));
    }

    @Test
    void theDevProfilePointsAtTheEmbeddedPort() throws Exception {
        SmallRyeConfig dev = new SmallRyeConfigBuilder().withProfile("dev").addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(getClass().getResource("/application.properties"), 250)).build();
        String url = dev.getValue("quarkus.datasource.reactive.url", String.class);
        int port = dev.getValue("ess.embedded-database.port", Integer.class);
        assertEquals("postgresql://postgres:postgres@127.0.0.1:55433/postgres", url);
        assertTrue(EmbeddedDatabase.pointsAt(url, port));
        assertTrue(dev.getValue("ess.embedded-database.enabled", Boolean.class));
        assertFalse(EmbeddedDatabase.pointsAt("postgresql://db.example:55433/postgres", port), "another host: not started");
        assertFalse(EmbeddedDatabase.pointsAt("postgresql://127.0.0.1:5432/postgres", port), "another port: not started");
        SmallRyeConfig prod = new SmallRyeConfigBuilder().withProfile("prod").addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(getClass().getResource("/application.properties"), 250)).build();
        assertTrue(prod.getOptionalValue("quarkus.datasource.reactive.url", String.class).isEmpty(), "prod has no default URL");
    }
}
