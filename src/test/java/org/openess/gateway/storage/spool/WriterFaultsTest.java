package org.openess.gateway.storage.spool;

import org.openess.gateway.config.WhenFull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openess.gateway.retry.Backoff;
import org.openess.gateway.profile.SqlType;
import org.openess.gateway.profile.TableLayout;
import org.openess.gateway.storage.RowWriter;
import org.openess.gateway.storage.SchemaManager;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.TestDatabase;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/**
 * Database faults behind the spool, against the real TimescaleDB: one table that refuses rows for
 * good, connections killed in the middle of batches, a table locked (a database slower than the
 * data).
 */
@DbTest
class WriterFaultsTest {
    @TempDir
    Path dir;
    TestDatabase db;
    Vertx vertx;
    Pool pool;
    SpoolRowBuffer buffer;
    RowWriter writer;

    @BeforeEach
    void start() throws Exception {
        db = TestDatabase.create("faults");
        vertx = Vertx.vertx();
        pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(4)).connectingTo(new PgConnectOptions().setHost(db.host())
                .setPort(db.port()).setDatabase(db.name()).setUser(db.user()).setPassword(db.password())).using(vertx).build();
        new SchemaManager(true, Duration.ofDays(1)).apply(pool, SpoolFixture.LAYOUTS).toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        buffer = SpoolFixture.open(SpoolFixture.settings(dir, 64 << 20, 1 << 20, WhenFull.DROP_OLDEST));
        writer = new RowWriter(vertx, pool, buffer, SpoolFixture.LAYOUTS, 100, 4, 20,
                new Backoff(Duration.ofMillis(50), Duration.ofMillis(200)));
        writer.start();
        writer.schemaReady();
    }

    @AfterEach
    void stop() throws Exception {
        writer.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        buffer.close(5_000);
        pool.close();
        vertx.close();
        db.close();
    }

    private static void waitFor(Duration max, BooleanSupplier ok, String what) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aTableWithAColumnTypeChangedByHandDoesNotBlockTheOthers() throws Exception {
        TableLayout pcs = SpoolFixture.LAYOUTS.stream().filter(l -> l.table().equals("pcs")).findFirst().orElseThrow();
        String column = pcs.columns().stream().filter(c -> c.type() == SqlType.FLOAT8).findFirst().orElseThrow().name();
        // PostgreSQL refuses to change a column a view reads: the hand edit drops pcs's rollup views first
        db.execute("DROP VIEW IF EXISTS pcs_1m, pcs_15m");
        db.execute("ALTER TABLE pcs ALTER COLUMN \"" + column + "\" TYPE date USING NULL");
        int n = 40;
        for (int i = 0; i < n; i++) {
            writer.accept(SpoolFixture.cycle("site-a", SpoolFixture.T0 + i * 1000L));
            Thread.sleep(10);
        }
        waitFor(Duration.ofSeconds(30), () -> db.count("SELECT count(*) FROM bank") == n && db.count("SELECT count(*) FROM etc") == n
                && db.count("SELECT count(*) FROM ess_gaps WHERE table_name = 'pcs' AND reason LIKE 'rejected by the database%'") == n,
                "the other tables and the pcs gap records");
        assertEquals(n, db.count("SELECT count(*) FROM rack"));
        assertEquals(0, db.count("SELECT count(*) FROM pcs"));
        assertEquals(n, writer.stats().rowsRejected());
        // counted against the table the database refused, not against the others
        assertEquals(n, writer.stats().rejectedByTable().get("pcs"));
        for (String other : List.of("bank", "rack", "etc", "ess_quality", "ess_gaps")) {
            assertEquals(0, writer.stats().rejectedByTable().get(other), other);
        }
        waitFor(Duration.ofSeconds(10), () -> writer.stats().writtenByTable().get("bank") == n
                && writer.stats().writtenByTable().get("rack") == db.count("SELECT count(*) FROM rack"), "bank and rack counted as written");
        assertEquals(0, writer.stats().writtenByTable().get("pcs"));
        assertTrue(db.query("SELECT reason FROM ess_gaps WHERE table_name = 'pcs' LIMIT 1").get(0).get(0).toString()
                .contains("SQLSTATE 42804"));
        waitFor(Duration.ofSeconds(10), () -> buffer.status().records() == 0, "every record acknowledged");
    }

    @Test
    void connectionsKilledMidBatchLoseNothingAndDuplicateNothing() throws Exception {
        int n = 300;
        Thread killer = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try (Connection c = db.connect(); Statement s = c.createStatement()) {
                    s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                            + "AND pid <> pg_backend_pid()");
                    Thread.sleep(150);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // keep killing
                }
            }
        });
        killer.start();
        for (int i = 0; i < n; i++) {
            writer.accept(SpoolFixture.cycle("site-a", SpoolFixture.T0 + i * 1000L));
            if (i % 10 == 0) {
                Thread.sleep(20);
            }
        }
        Thread.sleep(1_000);
        killer.interrupt();
        killer.join();
        waitFor(Duration.ofSeconds(60), () -> buffer.status().records() == 0, "every record acknowledged");
        assertTrue(writer.stats().failedStatements() > 0, "connections were killed mid-write");
        for (String t : new String[] { "bank", "rack", "pcs", "etc" }) {
            assertEquals(n, db.count("SELECT count(*) FROM " + t), t);
        }
        assertEquals(n, db.count("SELECT count(*) FROM ess_quality"));
        assertEquals(0, writer.stats().rowsRejected());
    }

    @Test
    void aLockedTableBacksUpIntoTheSpoolNotIntoMemory() throws Exception {
        try (Connection lock = db.connect(); Statement s = lock.createStatement()) {
            lock.setAutoCommit(false);
            s.execute("LOCK TABLE rack IN ACCESS EXCLUSIVE MODE");
            int n = 3_000;
            for (int i = 0; i < n; i++) {
                writer.accept(SpoolFixture.cycle("site-a", SpoolFixture.T0 + i * 1000L));
            }
            waitFor(Duration.ofSeconds(10), () -> buffer.status().handoffQueued() == 0, "the hand-off queue drained to disk");
            Thread.sleep(500);
            SpoolRowBuffer.Status st = buffer.status();
            assertTrue(st.records() > n / 2, "backlog waits on disk: " + st);
            assertTrue(st.liveWindowRows() <= 8 * 100 + 10, "memory holds only the live window: " + st);
            assertEquals(0, st.memoryBuffered());
            lock.rollback();
        }
        waitFor(Duration.ofSeconds(60), () -> buffer.status().records() == 0, "the backlog written once the lock is gone");
        for (String t : new String[] { "bank", "rack", "pcs", "etc" }) {
            assertEquals(3_000, db.count("SELECT count(*) FROM " + t), t);
        }
    }
}
