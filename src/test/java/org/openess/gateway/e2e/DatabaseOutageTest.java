package org.openess.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.openess.gateway.storage.Storage;
import org.openess.gateway.acquisition.Acquisition;
import org.openess.gateway.service.GatewayService;
import org.openess.gateway.acquisition.DeviceStats;
import org.openess.gateway.storage.RowWriter;
import org.openess.gateway.testsupport.Await;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.Provisioned;
import org.openess.gateway.testsupport.RunningGateway;
import org.openess.gateway.testsupport.SimulatedSite;
import org.openess.gateway.testsupport.TcpProxy;
import org.openess.gateway.testsupport.TestDatabase;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The database link goes down for several seconds while polling goes on: no tick is missed,
 * rows wait in the buffer, and once the link is back every second is stored exactly once.
 */
@QuarkusTest
@SimulatedSite(database = "outage", link = SimulatedSite.Link.TIMESCALEDB_THROUGH_PROXY, devices = "site-a=0",
        config = { "ess.storage.retry-min=100ms", "ess.storage.retry-max=500ms" })
@DbTest
class DatabaseOutageTest {

    @Inject
    GatewayService gateway;
    @Inject
    Acquisition acquisition;
    @Inject
    Storage storage;
    @Provisioned
    TestDatabase db;
    @Provisioned
    TcpProxy proxy;

    @Test
    void rowsBufferedDuringAnOutageAreAllWrittenAfterIt() throws Exception {
        long cutAt;
        long restoredAt;
        try (RunningGateway running = RunningGateway.start(gateway, Duration.ofSeconds(10))) {
            running.awaitRows(db, "bank", 2, Duration.ofSeconds(20));
            RowWriter.WriterStats w = storage.writer().stats();
            DeviceStats device = acquisition.device("site-a").counters();

            proxy.cut();
            cutAt = System.currentTimeMillis();
            long ticksAtCut = device.ticks();
            // ticks before the first cycle are missed while the device is connecting (checked below), none after it
            long missedAtCut = device.ticksMissed();
            Thread.sleep(5_000);
            assertTrue(device.ticks() >= ticksAtCut + 4, "polling went on during the outage");
            assertEquals(missedAtCut, device.ticksMissed(), "no tick missed because of the database");
            assertTrue(storage.writer().buffer().size() >= 4 * 11, "rows wait in the buffer: " + storage.writer().buffer().size());
            assertTrue(w.failedStatements() > 0);

            restoredAt = System.currentTimeMillis();
            proxy.restore();
            Await.until(Duration.ofSeconds(30), () -> storage.writer().buffer().size() == 0);
        }

        // every second from the first to the last stored tick is there, with all 11 rows
        List<List<Object>> span = db.query("SELECT extract(epoch FROM max(\"TIMESTAMP\") - min(\"TIMESTAMP\"))::int + 1, count(*) FROM bank");
        long seconds = ((Number) span.get(0).get(0)).longValue();
        assertEquals(seconds, ((Number) span.get(0).get(1)).longValue(), "bank rows vs seconds");
        assertEquals(seconds * 8, db.count("SELECT count(*) FROM rack"));
        assertEquals(seconds, db.count("SELECT count(*) FROM pcs"));
        assertEquals(seconds, db.count("SELECT count(*) FROM etc"));
        assertEquals(0, storage.writer().buffer().counters().rowsDropped());
        // the only gaps are the ticks before the first cycle, all of them before the first stored row
        for (List<Object> gap : db.query("SELECT reason, ts > (SELECT min(\"TIMESTAMP\") FROM bank) FROM ess_gaps")) {
            assertTrue(String.valueOf(gap.get(0)).startsWith("tick missed: connecting to "), "gap: " + gap);
            assertEquals(Boolean.FALSE, gap.get(1), "a gap after the first stored row: " + gap);
        }
        // and the ticks taken while the database was unreachable are among them
        long firstInOutage = cutAt / 1000 + 1;
        long lastInOutage = restoredAt / 1000;
        assertEquals(lastInOutage - firstInOutage + 1, db.count("SELECT count(*) FROM bank WHERE \"TIMESTAMP\" BETWEEN to_timestamp("
                + firstInOutage + ") AND to_timestamp(" + lastInOutage + ")"), "ticks taken during the outage");
    }
}
