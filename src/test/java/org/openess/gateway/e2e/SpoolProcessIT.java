package org.openess.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openess.gateway.profile.ProfileLoader;
import org.openess.gateway.simulator.SimulatorServer;
import org.openess.gateway.testsupport.Await;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.FreePorts;
import org.openess.gateway.testsupport.GatewayProcess;
import org.openess.gateway.testsupport.ProcessTest;
import org.openess.gateway.testsupport.TcpProxy;
import org.openess.gateway.testsupport.TestDatabase;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.core.Vertx;

/**
 * The packaged service as a real process with a spool: the database goes away (a TCP proxy between
 * the service and TimescaleDB is cut), the service is killed (SIGKILL) or stopped (SIGTERM) and
 * started again while the database is still away, then the database comes back. Every tick the
 * simulated device answered while a service process ran must be stored exactly once; only the
 * seconds with no service process may be missing.
 */
@ProcessTest
@DbTest
class SpoolProcessIT {
    static Vertx vertx;
    static SimulatorServer simulator;
    static int devicePort;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startDevice() throws Exception {
        vertx = Vertx.vertx();
        devicePort = FreePorts.consecutive(1);
        simulator = new SimulatorServer(vertx, ProfileLoader.load("operation1"), 1, "127.0.0.1", devicePort, 0);
        simulator.start().toCompletionStage().toCompletableFuture().get();
    }

    @AfterAll
    static void stopDevice() throws Exception {
        simulator.stop().toCompletionStage().toCompletableFuture().get();
        vertx.close();
    }

    private Map<String, String> config(TestDatabase db, TcpProxy proxy, Path spool) {
        Map<String, String> c = new HashMap<>();
        c.put("quarkus.datasource.reactive.url",
                "postgresql://" + db.user() + ":" + db.password() + "@127.0.0.1:" + proxy.port() + "/" + db.name());
        c.put("ess.devices.site-a.host", "127.0.0.1");
        c.put("ess.devices.site-a.port", Integer.toString(devicePort));
        c.put("ess.spool.dir", spool.toString());
        c.put("ess.storage.retry-min", "100ms");
        c.put("ess.storage.retry-max", "1s");
        c.put("ess.shutdown.timeout", "5s");
        // the device reads from its first tick after a start, so that "only the seconds without a service
        // are missing" is exact (the start spread would add up to a second of connecting gaps)
        c.put("ess.modbus.start-spread", "0s");
        c.put("quarkus.datasource.reactive.idle-timeout", "2s");
        return c;
    }

    @Test
    void killedWhileTheDatabaseIsDownLosesOnlyTheSecondsItWasNotRunning() throws Exception {
        scenario(true);
    }

    @Test
    void stoppedWithSigtermWhileTheDatabaseIsDownLosesOnlyTheSecondsItWasNotRunning() throws Exception {
        scenario(false);
    }

    @Test
    void aFullSpoolDropsTheOldestAndEveryDroppedTickIsInEssGaps() throws Exception {
        int devices = 20;
        Vertx v = Vertx.vertx();
        int base = FreePorts.consecutive(devices);
        SimulatorServer many = new SimulatorServer(v, ProfileLoader.load("operation1"), devices, "127.0.0.1", base, 0);
        many.start().toCompletionStage().toCompletableFuture().get();
        Path spool = tmp.resolve("spool");
        try (TestDatabase db = TestDatabase.create("spoolfull"); TcpProxy proxy = new TcpProxy(db.host(), db.port())) {
            Map<String, String> config = config(db, proxy, spool);
            config.remove("ess.devices.site-a.host");
            config.remove("ess.devices.site-a.port");
            for (int i = 0; i < devices; i++) {
                config.put("ess.devices.d" + i + ".host", "127.0.0.1");
                config.put("ess.devices.d" + i + ".port", Integer.toString(base + i));
            }
            config.put("ess.spool.max-bytes", "1M"); // ~19 s of 20 operation1 devices
            try (GatewayProcess gw = GatewayProcess.start(config, tmp.resolve("full.log")).awaitRunning(Duration.ofSeconds(60))) {
                Await.until(Duration.ofSeconds(30), () -> db.count("SELECT count(*) FROM bank") >= devices);
                proxy.cut();
                long deadline = System.currentTimeMillis() + 90_000;
                while (gw.status().path("spool").path("droppedCycles").asLong() < 3L * devices && System.currentTimeMillis() < deadline) {
                    Thread.sleep(500);
                }
                JsonNode full = gw.status().path("spool");
                assertTrue(full.path("droppedCycles").asLong() >= 3L * devices, "the limit was reached: " + full);
                assertTrue(full.path("bytes").asLong() <= 1 << 20, "within max-bytes: " + full);
                proxy.restore();
                Await.until(Duration.ofSeconds(90), () -> {
                    try {
                        JsonNode st = gw.status();
                        return st.path("spool").path("records").asLong() <= devices && st.path("writer").path("gapsWritten").asLong()
                                >= st.path("spool").path("droppedCycles").asLong();
                    } catch (Exception e) {
                        return false;
                    }
                });
                Thread.sleep(2_000);
                JsonNode end = gw.status();
                gw.terminate(Duration.ofSeconds(15));
                long dropped = end.path("spool").path("droppedCycles").asLong();
                String reason = "dropped: spool full (ess.spool.max-bytes=1048576, drop-oldest)";
                assertEquals(dropped, db.count("SELECT count(*) FROM ess_gaps WHERE table_name = 'bank' AND reason = '" + reason + "'"));
                assertEquals(dropped, db.count("SELECT count(*) FROM ess_gaps WHERE table_name = 'rack' AND missing_rows = 8 AND reason = '"
                        + reason + "'"));
                assertEquals(0, db.count("SELECT count(*) FROM bank b JOIN ess_gaps g ON g.site_id = b.\"SITE_ID\" AND g.ts = b.\"TIMESTAMP\""
                        + " AND g.table_name = 'bank'"), "a tick is stored or recorded as dropped, never both");
                // per device, every second from its first to its last stored tick is a row or a dropped-tick record
                assertEquals(0, db.count("SELECT count(*) FROM (SELECT \"SITE_ID\" s, min(\"TIMESTAMP\") a, max(\"TIMESTAMP\") b FROM bank GROUP BY 1) r"
                        + " CROSS JOIN LATERAL generate_series(r.a, r.b, interval '1 second') t"
                        + " WHERE NOT EXISTS (SELECT 1 FROM bank x WHERE x.\"SITE_ID\" = r.s AND x.\"TIMESTAMP\" = t)"
                        + " AND NOT EXISTS (SELECT 1 FROM ess_gaps g WHERE g.site_id = r.s AND g.ts = t AND g.table_name = 'bank')"),
                        "seconds neither stored nor recorded");
                System.out.printf("spool full: %d cycles dropped and recorded in ess_gaps, %d bank rows stored%n", dropped,
                        db.count("SELECT count(*) FROM bank"));
            }
        } finally {
            many.stop().toCompletionStage().toCompletableFuture().get();
            v.close();
        }
    }

    private void scenario(boolean kill) throws Exception {
        Path spool = tmp.resolve("spool");
        Path log = tmp.resolve("gateway.log");
        try (TestDatabase db = TestDatabase.create(kill ? "spoolkill" : "spoolterm");
                TcpProxy proxy = new TcpProxy(db.host(), db.port())) {
            Map<String, String> config = config(db, proxy, spool);
            long downAt;
            long goneAt;
            try (GatewayProcess first = GatewayProcess.start(config, log).awaitRunning(Duration.ofSeconds(60))) {
                Await.until(Duration.ofSeconds(30), () -> db.count("SELECT count(*) FROM bank") >= 2);
                proxy.cut();
                downAt = System.currentTimeMillis();
                Thread.sleep(6_000);
                JsonNode s = first.status();
                assertTrue(s.path("spool").path("records").asLong() >= 4, "cycles wait on disk: " + s.path("spool"));
                assertEquals(0, s.path("writer").path("rowsDropped").asLong());
                goneAt = System.currentTimeMillis();
                if (kill) {
                    first.kill();
                } else {
                    long exitMillis = first.terminate(Duration.ofSeconds(15));
                    assertTrue(exitMillis < 5_000 + 3_000, "exit within ess.shutdown.timeout (5 s): " + exitMillis + " ms");
                    // 143 = 128 + SIGTERM: the JVM's usual status after a signal-initiated orderly exit
                    assertTrue(first.exitValue() == 0 || first.exitValue() == 143, "exit status " + first.exitValue());
                }
            }
            Thread.sleep(3_000); // no service at all: these seconds are the only ones allowed to be missing
            long restartAt = System.currentTimeMillis();
            try (GatewayProcess second = GatewayProcess.start(config, log).awaitRunning(Duration.ofSeconds(60))) {
                long runningAt = System.currentTimeMillis();
                Thread.sleep(5_000); // still down: the backlog from the first run and the new cycles wait together
                JsonNode s = second.status();
                assertTrue(s.path("spool").path("records").asLong() >= 10, "backlog of both runs: " + s.path("spool"));
                long upAt = System.currentTimeMillis();
                proxy.restore();
                Await.until(Duration.ofSeconds(60), () -> {
                    try {
                        JsonNode st = second.status();
                        return st.path("spool").path("records").asLong() <= 1 && st.path("writer").path("schemaReady").asBoolean();
                    } catch (Exception e) {
                        return false;
                    }
                });
                Thread.sleep(2_000);
                JsonNode end = second.status();
                second.terminate(Duration.ofSeconds(15));

                // exactly once: the unique key allows no duplicate, and count(*) per table matches the seconds
                List<Long> seconds = new ArrayList<>();
                for (List<Object> r : db.query("SELECT extract(epoch FROM \"TIMESTAMP\")::bigint FROM bank ORDER BY 1")) {
                    seconds.add(((Number) r.get(0)).longValue());
                }
                long first = seconds.get(0);
                long last = seconds.get(seconds.size() - 1);
                assertEquals(seconds.size() * 8L, db.count("SELECT count(*) FROM rack"));
                assertEquals(seconds.size(), db.count("SELECT count(*) FROM pcs"));
                assertEquals(seconds.size(), db.count("SELECT count(*) FROM etc"));
                List<Long> missing = new ArrayList<>();
                for (long t = first, i = 0; t <= last; t++) {
                    if (i < seconds.size() && seconds.get((int) i) == t) {
                        i++;
                    } else {
                        missing.add(t);
                    }
                }
                // the outage while the first process ran is fully there
                long outageSeconds = 0;
                for (long t = downAt / 1000 + 1; t <= goneAt / 1000 - 1; t++) {
                    assertTrue(seconds.contains(t), "tick " + t + " of the first run's outage is stored; missing " + missing
                            + "\n" + second.log());
                    outageSeconds++;
                }
                assertTrue(outageSeconds >= 4);
                // and so is the second run's, before and after the database came back
                for (long t = runningAt / 1000 + 1; t <= upAt / 1000 + 2; t++) {
                    assertTrue(seconds.contains(t), "tick " + t + " of the second run is stored; missing " + missing);
                }
                // missing: only seconds with no service process (from the kill to the restarted poller's first tick)
                for (long t : missing) {
                    assertTrue(t >= goneAt / 1000 && t <= runningAt / 1000,
                            "tick " + t + " missing outside the time without a service (" + goneAt / 1000 + " .. " + runningAt / 1000
                                    + "): " + missing);
                }
                assertTrue(missing.size() >= 2, "the service was away ~3 s: " + missing);
                assertTrue(missing.size() <= (runningAt - goneAt) / 1000 + 1, "missing " + missing);
                assertEquals(0, end.path("writer").path("rowsDropped").asLong());
                assertEquals(0, end.path("spool").path("corruptSegments").asLong());
                assertTrue(end.path("writer").path("replayRowsWritten").asLong() > 0, "the backlog was replayed: " + end);
                System.out.printf("%s: outage %d s in run 1, no service %d ms (restart took %d ms), %d seconds missing %s%n",
                        kill ? "SIGKILL" : "SIGTERM", outageSeconds, runningAt - goneAt, runningAt - restartAt, missing.size(), missing);
            }
            if (!kill) {
                assertTrue(Files.readString(log).contains("spool closed"), "the SIGTERM path flushed the spool");
            }
        }
    }
}
