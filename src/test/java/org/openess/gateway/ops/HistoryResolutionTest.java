package org.openess.gateway.ops;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.openess.gateway.service.GatewayService;
import org.openess.gateway.storage.RollupRefresher;
import org.openess.gateway.storage.Storage;
import org.openess.gateway.testsupport.Await;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.Provisioned;
import org.openess.gateway.testsupport.RunningGateway;
import org.openess.gateway.testsupport.SimulatedSite;
import org.openess.gateway.testsupport.TestDatabase;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import jakarta.inject.Inject;

/**
 * The history endpoint picks its rows by the window: a device polled live for the last minutes and
 * 30 days of one bank row a minute written before it; an hour is read raw, two days from the 1m
 * rollup, 30 days from the 15m rollup (a few thousand points), and the rollup's values equal an
 * independent aggregate of the raw rows. The month is written behind the rollups' watermark (late
 * rows, as a replayed spool writes them); on the Apache edition the gateway's refresh materializes
 * it, and the month is then read from the rollup table, not from the raw rows.
 */
@QuarkusTest
@SimulatedSite(database = "history", devices = "hist=0")
@DbTest
class HistoryResolutionTest {
    @Inject
    GatewayService gateway;
    @Inject
    Storage storage;
    @Provisioned
    TestDatabase db;

    @Test
    void rollupPointsForALongWindowAndRawPointsForAShortOne() throws Exception {
        try (RunningGateway running = RunningGateway.start(gateway, Duration.ofSeconds(5))) {
            Await.until(Duration.ofSeconds(20), () -> db.count("SELECT count(*) FROM bank WHERE \"SITE_ID\" = 'hist'") >= 3);
            // 30 days of history up to two hours ago, one row a minute, with a value that changes every row
            db.execute("INSERT INTO bank (\"TIMESTAMP\", \"SITE_ID\", \"BANK_ID\", \"BANK_SOC\", \"BANK_DC_VOLT\", \"BANK_DC_CURRENT\", "
                    + "\"BANK_POWER\", \"MAX_CELL_TEMPERATURE_OF_BANK\", \"MIN_CELL_TEMPERATURE_OF_BANK\") SELECT t, 'hist', 1, "
                    + "50 + 40 * sin(extract(epoch FROM t) / 7200), 700 + (extract(epoch FROM t)::int8 / 60) % 13, 1.5, 10, "
                    + "30 + (extract(epoch FROM t)::int8 / 60) % 7, 20 - (extract(epoch FROM t)::int8 / 60) % 5 "
                    + "FROM generate_series(date_trunc('minute', now()) - INTERVAL '30 days', date_trunc('minute', now()) - INTERVAL '2 hours',"
                    + " INTERVAL '1 minute') t ON CONFLICT DO NOTHING");
            boolean apache = "apache".equals(db.query("SELECT current_setting('timescaledb.license')").get(0).get(0));
            if (apache) {
                // the refresher starts once the schema pass made the rollups (rows may be written before)
                Await.until(Duration.ofSeconds(30), () -> storage.rollupRefresher() != null);
            }
            RollupRefresher refresher = storage.rollupRefresher();
            assertEquals(apache, refresher != null, "the gateway refreshes the rollups on the Apache edition only");
            if (apache) {
                refresher.refresh().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
                long materialized = db.count("SELECT count(*) FROM bank_15m_store WHERE \"SITE_ID\" = 'hist'");
                assertTrue(materialized >= 2860, "the month's 15m buckets are in the rollup table: " + materialized);
            }

            JsonPath hour = history(60, 10);
            assertEquals("raw", hour.getString("resolution"));
            assertEquals(10, hour.getInt("stepSeconds"));
            assertTrue(hour.getList("t").size() >= 1, hour.prettify());

            JsonPath twoDays = history(2 * 1440, 10);
            assertEquals("1m", twoDays.getString("resolution"));
            assertEquals(60, twoDays.getInt("stepSeconds"));
            assertTrue(twoDays.getList("t").size() > 2700, "one point a minute: " + twoDays.getList("t").size());

            JsonPath month = history(30 * 1440, 10);
            assertEquals("15m", month.getString("resolution"));
            assertEquals(900, month.getInt("stepSeconds"));
            List<Long> t = month.getList("t", Object.class).stream().map(o -> ((Number) o).longValue()).toList();
            assertTrue(t.size() > 2800 && t.size() <= 2881, "a month in 15 minute steps: " + t.size());

            // a step in the middle of the month: each series equals the raw rows aggregated here, independently
            int i = t.size() / 2;
            long start = t.get(i);
            List<Object> raw = db.query("SELECT avg(\"BANK_SOC\"), avg(\"BANK_DC_VOLT\"), max(\"MAX_CELL_TEMPERATURE_OF_BANK\"), "
                    + "min(\"MIN_CELL_TEMPERATURE_OF_BANK\") FROM bank WHERE \"SITE_ID\" = 'hist' AND \"TIMESTAMP\" >= to_timestamp(" + start
                    + ") AND \"TIMESTAMP\" < to_timestamp(" + (start + 900) + ")").get(0);
            assertEquals(((Number) raw.get(0)).doubleValue(), value(month, "soc", i), 1e-9);
            assertEquals(((Number) raw.get(1)).doubleValue(), value(month, "dcVoltage", i), 1e-9);
            assertEquals(((Number) raw.get(2)).doubleValue(), value(month, "maxCellTemperature", i), 1e-9);
            assertEquals(((Number) raw.get(3)).doubleValue(), value(month, "minCellTemperature", i), 1e-9);

            // a step of two hours over the month: averages of several buckets weigh each by its rows
            JsonPath coarse = history(30 * 1440, 7200);
            assertEquals("15m", coarse.getString("resolution"));
            assertEquals(7200, coarse.getInt("stepSeconds"));
            long s2 = ((Number) coarse.getList("t").get(100)).longValue();
            double rawAvg = ((Number) db.query("SELECT avg(\"BANK_SOC\") FROM bank WHERE \"SITE_ID\" = 'hist' AND \"TIMESTAMP\" >= "
                    + "to_timestamp(" + s2 + ") AND \"TIMESTAMP\" < to_timestamp(" + (s2 + 7200) + ")").get(0).get(0)).doubleValue();
            assertEquals(rawAvg, value(coarse, "soc", 100), 1e-9);
        }
    }

    private static JsonPath history(int minutes, int step) {
        return given().get("/api/devices/hist/history?minutes=" + minutes + "&step=" + step).then().statusCode(200).extract().jsonPath()
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
    }

    private static double value(JsonPath h, String key, int i) {
        List<Object> values = h.getList("series.find { it.key == '" + key + "' }.values");
        return ((Number) values.get(i)).doubleValue();
    }
}
