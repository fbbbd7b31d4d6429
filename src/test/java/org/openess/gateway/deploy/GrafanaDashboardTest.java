package org.openess.gateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openess.gateway.decode.CycleDecoder;
import org.openess.gateway.profile.ProfileLoader;
import org.openess.gateway.storage.SchemaManager;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.TestDatabase;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;

/**
 * docs/grafana/ess-site-rollups.json against a fresh database with the gateway's schema and two
 * days of one operation1 site: the site variable's query finds the site, and every panel's query,
 * with each value of the rollup variable and Grafana's macros expanded as Grafana does, runs and
 * returns points. The panels read the rollups only, never the raw tables.
 */
@DbTest
class GrafanaDashboardTest {
    static final Path DASHBOARD = Path.of("docs/grafana/ess-site-rollups.json");
    static final String SITE = "grafana-site";
    static TestDatabase db;

    @BeforeAll
    static void ingest() throws Exception {
        db = TestDatabase.create("grafana");
        Vertx vertx = Vertx.vertx();
        try {
            Pool pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(db.reactiveUrl())).using(vertx).build();
            new SchemaManager(true, Duration.ofDays(1)).apply(pool, List.copyOf(CycleDecoder.layoutsOf(ProfileLoader.load("operation1"))
                    .values())).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            pool.close();
        } finally {
            vertx.close();
        }
        String ticks = "generate_series(date_trunc('minute', now()) - INTERVAL '2 days', now(), INTERVAL '20 seconds') t";
        db.execute("INSERT INTO bank (\"TIMESTAMP\", \"SITE_ID\", \"BANK_ID\", \"BANK_SOC\", \"BANK_DC_VOLT\", \"BANK_DC_CURRENT\", \"BANK_POWER\", "
                + "\"MAX_CELL_TEMPERATURE_OF_BANK\", \"MIN_CELL_TEMPERATURE_OF_BANK\") SELECT t, '" + SITE + "', 1, "
                + "50 + 40 * sin(extract(epoch FROM t) / 7200), 760, 12.5, 9.5, 31, 24 FROM " + ticks);
        db.execute("INSERT INTO rack (\"TIMESTAMP\", \"SITE_ID\", \"BANK_ID\", \"RACK_ID\", \"RACK_SOC\", \"RACK_VOLTAGE\") SELECT t, '" + SITE
                + "', 1, r, 50 + r, 760 + r / 10.0 FROM " + ticks + ", generate_series(1, 8) r");
        db.execute("INSERT INTO pcs (\"TIMESTAMP\", \"SITE_ID\", \"BANK_ID\", \"AC_ACTIVE_POWER\", \"AC_FREQUENCY\") SELECT t, '" + SITE
                + "', 1, 9.4, 60.0 FROM " + ticks);
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    @Test
    void everyQueryOfTheDashboardRunsAgainstTheRollups() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        JsonNode variables = dashboard.path("templating").path("list");
        List<String> rollups = new ArrayList<>();
        String siteQuery = null;
        for (JsonNode v : variables) {
            if (v.path("name").asText().equals("rollup")) {
                v.path("options").forEach(o -> rollups.add(o.path("value").asText()));
            } else if (v.path("name").asText().equals("site")) {
                siteQuery = v.path("query").asText();
            }
        }
        assertEquals(List.of("1m", "15m"), rollups);
        assertEquals(List.of(List.of(SITE)), db.query(siteQuery), "the site variable lists the site");

        int queries = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String sql = target.path("rawSql").asText();
                assertTrue(sql.matches("(?s).*FROM \\w+_\\$\\{rollup\\}.*"), panel.path("title").asText() + " reads a rollup: " + sql);
                for (String rollup : rollups) {
                    String expanded = expand(sql, rollup);
                    try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(expanded)) {
                        assertEquals("time", rs.getMetaData().getColumnLabel(1), expanded);
                        int rows = 0;
                        while (rs.next()) {
                            rows++;
                        }
                        assertTrue(rows >= (rollup.equals("1m") ? 2 * 1440 : 2 * 96), panel.path("title").asText() + " (" + rollup + "): " + rows
                                + " rows");
                    }
                    queries++;
                }
            }
        }
        assertTrue(queries >= 12, "panels found: " + queries);
    }

    /** $site, ${rollup} and $__timeFilter(column) as Grafana expands them for the last 7 days. */
    static String expand(String sql, String rollup) {
        String out = sql.replace("${rollup}", rollup).replace("$rollup", rollup).replace("$site", SITE);
        Matcher m = Pattern.compile("\\$__timeFilter\\(([^)]+)\\)").matcher(out);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(m.group(1) + " BETWEEN now() - INTERVAL '7 days' AND now()"));
        }
        m.appendTail(b);
        assertTrue(!b.toString().contains("$"), "an unexpanded macro or variable: " + b);
        return b.toString();
    }
}
