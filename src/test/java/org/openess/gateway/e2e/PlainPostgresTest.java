package org.openess.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openess.gateway.GatewayService;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.FreePorts;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.inject.Inject;

/**
 * Without TimescaleDB (the dev-mode embedded PostgreSQL) the same tables are plain, logged
 * tables with a time index, and rows arrive the same way.
 */
@QuarkusTest
@QuarkusTestResource(value = PlainPostgresTest.Resource.class, restrictToAnnotatedClass = true)
@DbTest
class PlainPostgresTest {

    public static class Resource implements QuarkusTestResourceLifecycleManager {
        static EmbeddedPostgres pg;

        @Override
        public Map<String, String> start() {
            try {
                pg = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            int port = FreePorts.consecutive(1);
            Map<String, String> c = new HashMap<>();
            c.put("quarkus.datasource.reactive.url", "postgresql://postgres:postgres@127.0.0.1:" + pg.getPort() + "/postgres");
            c.put("ess.simulator.enabled", "true");
            c.put("ess.simulator.base-port", Integer.toString(port));
            c.put("ess.devices.plain.host", "127.0.0.1");
            c.put("ess.devices.plain.port", Integer.toString(port));
            return c;
        }

        @Override
        public void stop() {
            try {
                pg.close();
            } catch (IOException e) {
                // the test is over
            }
        }
    }

    @Inject
    GatewayService gateway;

    @Test
    void plainTablesWithATimeIndexTakeTheRows() throws Exception {
        gateway.start();
        try (Connection c = Resource.pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            PipelineEndToEndTest.waitFor(Duration.ofSeconds(20), () -> count(s, "SELECT count(*) FROM rack") >= 16);
            assertEquals(0, count(s, "SELECT count(*) FROM pg_extension WHERE extname = 'timescaledb'"));
            for (String table : new String[] { "bank", "rack", "pcs", "etc", "ess_quality", "ess_gaps" }) {
                assertEquals(1, count(s, "SELECT count(*) FROM pg_class WHERE relname = '" + table + "' AND relkind = 'r' "
                        + "AND relpersistence = 'p'"), table + " is a plain logged table");
            }
            assertEquals(1, count(s, "SELECT count(*) FROM pg_indexes WHERE indexname = 'rack_time'"));
            assertEquals(1, count(s, "SELECT count(*) FROM pg_indexes WHERE indexname = 'rack_key'"));
            assertEquals(0, count(s, "SELECT count(*) FROM (SELECT \"TIMESTAMP\" FROM rack GROUP BY 1 HAVING count(*) <> 8) x"));
            assertTrue(!gateway.schema().hypertables());
        } finally {
            gateway.stop(Duration.ofSeconds(5));
        }
    }

    private static long count(Statement s, String sql) {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
