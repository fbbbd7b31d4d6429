package org.openess.gateway.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.openess.gateway.GatewayService;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.FreePorts;
import org.openess.gateway.testsupport.SimulatedDevices;
import org.openess.gateway.testsupport.TestDatabase;

import io.quarkus.scheduler.SkippedExecution;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Archive runs never overlap: with the schedule firing every second and a run held up by a lock
 * on one of the day's tables, every firing while it waits is skipped by the scheduler, exactly
 * one archive session waits in the database, and once the lock goes that run finishes and writes
 * the day.
 */
@QuarkusTest
@QuarkusTestResource(value = ArchiveScheduleSkipTest.Resource.class, restrictToAnnotatedClass = true)
@DbTest
class ArchiveScheduleSkipTest {
    static final LocalDate YESTERDAY = LocalDate.now(ZoneOffset.UTC).minusDays(1);

    public static class Resource implements QuarkusTestResourceLifecycleManager {
        static TestDatabase db;
        static Path target;

        @Override
        public Map<String, String> start() {
            db = TestDatabase.create("sched_skip");
            // archived like a profile's table ("TIMESTAMP" and "SITE_ID"), and never written by the gateway
            db.execute("CREATE TABLE held (\"TIMESTAMP\" timestamptz NOT NULL, \"SITE_ID\" text NOT NULL, v int4)");
            db.execute("INSERT INTO held SELECT '" + YESTERDAY + " 00:00:00+00'::timestamptz + s * interval '1 minute', 'held-site', s "
                    + "FROM generate_series(0, 99) s");
            try {
                target = Files.createTempDirectory("ess-archive-skip");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            int port = FreePorts.consecutive(1);
            Map<String, String> c = SimulatedDevices.withSimulator(new HashMap<>(db.quarkusConfig()), port);
            SimulatedDevices.device(c, "skip-site", port);
            c.put("ess.archive.target", target.toUri().toString());
            c.put("ess.archive.zone", "UTC");
            c.put("ess.archive.cron", "* * * * * ?");
            return c;
        }

        @Override
        public void stop() {
            db.close();
        }
    }

    /** What the scheduler and the archive reported. */
    @ApplicationScoped
    public static class Observed {
        private final AtomicInteger skipped = new AtomicInteger();
        private final List<ArchiveRunFinished> finished = new CopyOnWriteArrayList<>();

        // the scheduler fires each skip both synchronously and asynchronously: one observer counts it once
        void skipped(@Observes SkippedExecution e) {
            if (e.triggerId.equals(ArchiveSchedule.JOB)) {
                skipped.incrementAndGet();
            }
        }

        void finished(@Observes ArchiveRunFinished f) {
            finished.add(f);
        }

        // read through methods: the test holds a client proxy, whose own fields are not the bean's
        int skipped() {
            return skipped.get();
        }

        List<ArchiveRunFinished> finished() {
            return List.copyOf(finished);
        }
    }

    @Inject
    GatewayService gateway;
    @Inject
    ArchiveSchedule schedule;
    @Inject
    Observed observed;

    @Test
    void aRunThatTakesLongerThanThePeriodIsNeverJoinedByASecond() throws Exception {
        TestDatabase db = Resource.db;
        String waiting = "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + db.name()
                + "' AND wait_event_type = 'Lock' AND query ILIKE '%held%'";
        gateway.start();
        try {
            try (Connection lock = db.connect(); Statement s = lock.createStatement()) {
                lock.setAutoCommit(false);
                s.execute("LOCK TABLE held IN ACCESS EXCLUSIVE MODE");
                schedule.start();
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> db.count(waiting) == 1);
                int skippedBefore = observed.skipped();
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> observed.skipped() >= skippedBefore + 3);
                assertEquals(1, db.count(waiting), "one archive run waits for the table, no second one");
                assertEquals(List.of(), observed.finished(), "the held run cannot have finished");
                lock.rollback();
            }
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !observed.finished().isEmpty());
            ArchiveRunFinished first = observed.finished().get(0);
            assertEquals(null, first.error());
            assertTrue(first.results().stream().anyMatch(r -> r.ok()), "the held day was archived: " + first.results());
            try (Stream<Path> files = Files.walk(Resource.target)) {
                assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith(YESTERDAY + "-held.csv")),
                        "no " + YESTERDAY + "-held.csv under " + Resource.target);
            }
        } finally {
            gateway.stop(Duration.ofSeconds(5));
        }
    }
}
