package org.openess.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openess.gateway.GatewayService;
import org.openess.gateway.acquisition.DeviceStats;
import org.openess.gateway.storage.RowWriter;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.FreePorts;
import org.openess.gateway.testsupport.TcpProxy;
import org.openess.gateway.testsupport.TestDatabase;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The database link goes down for several seconds while polling goes on: no tick is missed,
 * rows wait in the buffer, and once the link is back every second is stored exactly once.
 */
@QuarkusTest
@QuarkusTestResource(value = DatabaseOutageTest.Resource.class, restrictToAnnotatedClass = true)
@DbTest
class DatabaseOutageTest {

    public static class Resource implements QuarkusTestResourceLifecycleManager {
        static TestDatabase db;
        static TcpProxy proxy;

        @Override
        public Map<String, String> start() {
            db = TestDatabase.create("outage");
            proxy = new TcpProxy(db.host(), db.port());
            int port = FreePorts.consecutive(1);
            Map<String, String> c = new HashMap<>();
            c.put("quarkus.datasource.reactive.url",
                    "postgresql://" + db.user() + ":" + db.password() + "@127.0.0.1:" + proxy.port() + "/" + db.name());
            c.put("ess.simulator.enabled", "true");
            c.put("ess.simulator.base-port", Integer.toString(port));
            c.put("ess.devices.site-a.host", "127.0.0.1");
            c.put("ess.devices.site-a.port", Integer.toString(port));
            c.put("ess.storage.retry-min", "100ms");
            c.put("ess.storage.retry-max", "500ms");
            return c;
        }

        @Override
        public void stop() {
            proxy.close();
            db.close();
        }
    }

    @Inject
    GatewayService gateway;

    @Test
    void rowsBufferedDuringAnOutageAreAllWrittenAfterIt() throws Exception {
        TestDatabase db = Resource.db;
        gateway.start();
        PipelineEndToEndTest.waitFor(Duration.ofSeconds(20), () -> db.count("SELECT count(*) FROM bank") >= 2);
        RowWriter.WriterStats w = gateway.writer().stats();
        DeviceStats device = gateway.pollers().get("site-a").stats();

        Resource.proxy.cut();
        long cutAt = System.currentTimeMillis();
        long ticksAtCut = device.ticks();
        Thread.sleep(5_000);
        assertTrue(device.ticks() >= ticksAtCut + 4, "polling went on during the outage");
        assertEquals(0, device.ticksMissed(), "no tick missed because of the database");
        assertTrue(gateway.writer().buffer().size() >= 4 * 11, "rows wait in the buffer: " + gateway.writer().buffer().size());
        assertTrue(w.failedStatements() > 0);

        long restoredAt = System.currentTimeMillis();
        Resource.proxy.restore();
        PipelineEndToEndTest.waitFor(Duration.ofSeconds(30), () -> gateway.writer().buffer().size() == 0);
        gateway.stop(Duration.ofSeconds(10));

        // every second from the first to the last stored tick is there, with all 11 rows
        List<List<Object>> span = db.query("SELECT extract(epoch FROM max(\"TIMESTAMP\") - min(\"TIMESTAMP\"))::int + 1, count(*) FROM bank");
        long seconds = ((Number) span.get(0).get(0)).longValue();
        assertEquals(seconds, ((Number) span.get(0).get(1)).longValue(), "bank rows vs seconds");
        assertEquals(seconds * 8, db.count("SELECT count(*) FROM rack"));
        assertEquals(seconds, db.count("SELECT count(*) FROM pcs"));
        assertEquals(seconds, db.count("SELECT count(*) FROM etc"));
        assertEquals(0, gateway.writer().buffer().counters().rowsDropped());
        // and the ticks taken while the database was unreachable are among them
        long firstInOutage = cutAt / 1000 + 1;
        long lastInOutage = restoredAt / 1000;
        assertEquals(lastInOutage - firstInOutage + 1, db.count("SELECT count(*) FROM bank WHERE \"TIMESTAMP\" BETWEEN to_timestamp("
                + firstInOutage + ") AND to_timestamp(" + lastInOutage + ")"), "ticks taken during the outage");
    }
}
