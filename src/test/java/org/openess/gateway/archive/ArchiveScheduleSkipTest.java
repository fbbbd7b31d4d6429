package org.openess.gateway.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.openess.gateway.service.GatewayService;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.Provisioned;
import org.openess.gateway.testsupport.RunningGateway;
import org.openess.gateway.testsupport.SimulatedSite;
import org.openess.gateway.testsupport.TestDatabase;

import io.quarkus.scheduler.SkippedExecution;
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
@SimulatedSite(database = "sched_skip", devices = "skip-site=0", archiveFolder = true,
        config = { "ess.archive.zone=UTC", "ess.archive.cron=* * * * * ?" })
@DbTest
class ArchiveScheduleSkipTest {
    static final LocalDate YESTERDAY = LocalDate.now(ZoneOffset.UTC).minusDays(1);

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
    @Provisioned
    TestDatabase db;
    /** Where the archive writes. */
    @Provisioned
    Path target;

    @Test
    void aRunThatTakesLongerThanThePeriodIsNeverJoinedByASecond() throws Exception {
        // archived like a profile's table ("TIMESTAMP" and "SITE_ID"), and never written by the gateway
        db.execute("CREATE TABLE held (\"TIMESTAMP\" timestamptz NOT NULL, \"SITE_ID\" text NOT NULL, v int4)");
        db.execute("INSERT INTO held SELECT '" + YESTERDAY + " 00:00:00+00'::timestamptz + s * interval '1 minute', 'held-site', s "
                + "FROM generate_series(0, 99) s");
        String waiting = "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + db.name()
                + "' AND wait_event_type = 'Lock' AND query ILIKE '%held%'";
        try (RunningGateway running = RunningGateway.start(gateway, Duration.ofSeconds(5))) {
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
            try (Stream<Path> files = Files.walk(target)) {
                assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith(YESTERDAY + "-held.csv")),
                        "no " + YESTERDAY + "-held.csv under " + target);
            }
        }
    }
}
