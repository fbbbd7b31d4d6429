package org.openess.gateway.archive;

import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openess.gateway.testsupport.QuarkusAppTest;

import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/** ess.archive.cron=off: the scheduler's own switch, so there is no job at all, not one that does nothing. */
@QuarkusTest
@TestProfile(ArchiveScheduleOffTest.Off.class)
@QuarkusAppTest
class ArchiveScheduleOffTest {

    public static class Off implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ess.archive.target", "file:target/archive-schedule-test", "ess.archive.cron", "off");
        }
    }

    @Inject
    ArchiveSchedule schedule;
    @Inject
    Scheduler scheduler;

    @Test
    void noJobIsScheduled() {
        schedule.start();
        assertNull(scheduler.getScheduledJob(ArchiveSchedule.JOB));
    }
}
