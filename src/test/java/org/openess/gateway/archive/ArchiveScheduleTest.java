package org.openess.gateway.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openess.gateway.testsupport.QuarkusAppTest;

import io.quarkus.scheduler.Scheduler;
import io.quarkus.scheduler.Trigger;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * The nightly job fires at ess.archive.cron in the archive zone (not the JVM's zone, which is UTC
 * here), and only once the service has started: the one-shot commands run in the same
 * application, where the scheduler stays halted.
 */
@QuarkusTest
@TestProfile(ArchiveScheduleTest.Nightly.class)
@QuarkusAppTest
class ArchiveScheduleTest {

    public static class Nightly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ess.archive.target", "file:target/archive-schedule-test", "ess.archive.zone", "Asia/Seoul",
                    "ess.archive.cron", "0 10 0 * * ?");
        }
    }

    @Inject
    ArchiveSchedule schedule;
    @Inject
    Scheduler scheduler;

    @Test
    void firesAtTenPastMidnightInTheArchiveZoneOnceTheServiceStarts() {
        Trigger job = scheduler.getScheduledJob(ArchiveSchedule.JOB);
        assertNotNull(job);
        assertEquals(LocalTime.of(0, 10), job.getNextFireTime().atZone(ZoneId.of("Asia/Seoul")).toLocalTime());
        assertFalse(scheduler.isRunning(), "halted until the service starts");
        schedule.start();
        assertTrue(scheduler.isRunning());
    }
}
