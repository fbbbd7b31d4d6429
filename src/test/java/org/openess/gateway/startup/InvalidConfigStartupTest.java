package org.openess.gateway.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openess.gateway.testsupport.QuarkusAppTest;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

/**
 * Values out of range stop start-up before anything runs (the service and the one-shot commands
 * alike): exit code 1 and one line that names every wrong key and says what it accepts.
 */
@QuarkusMainTest
@TestProfile(InvalidConfigStartupTest.Config.class)
@QuarkusAppTest
class InvalidConfigStartupTest {
    public static class Config implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(Map.entry("ess.devices.x.host", " "), Map.entry("ess.devices.x.port", "0"),
                    Map.entry("ess.devices.x.unit-id", "300"), Map.entry("ess.devices.x.poll-interval", "50ms"),
                    Map.entry("ess.devices.x.timeout", "5ms"), Map.entry("ess.devices.x.request-gap", "-1ms"),
                    Map.entry("ess.devices.x.connect-delay", "2m"),
                    Map.entry("ess.modbus.reopen-after-timeouts", "0"), Map.entry("ess.modbus.busy-retry-delay", "1m"),
                    Map.entry("ess.spool.handoff-cycles", "0"), Map.entry("ess.spool.sync-interval", "0s"),
                    Map.entry("ess.spool.replay-rows-per-second", "-1"), Map.entry("ess.devices.x.max-registers", "200"),
                    Map.entry("ess.devices.x.max-gap", "-1"), Map.entry("ess.storage.batch-rows", "0"),
                    Map.entry("ess.storage.max-in-flight", "0"), Map.entry("ess.storage.flush-interval", "0s"),
                    Map.entry("ess.archive.zone", "Mars/Olympus"), Map.entry("ess.archive.compression", "zstd"),
                    Map.entry("ess.archive.cron", "every night"), Map.entry("ess.archive.backfill-days", "-1"),
                    Map.entry("ess.archive.gcs.timeout", "10ms"), Map.entry("ess.archive.gcs.max-attempts", "0"),
                    Map.entry("ess.devices.x.transport", "modbus-ascii"), Map.entry("ess.devices.x.baud-rate", "100"),
                    Map.entry("ess.devices.x.parity", "mark"), Map.entry("ess.devices.x.data-bits", "9"),
                    Map.entry("ess.devices.x.stop-bits", "0"), Map.entry("ess.devices.x.serial-port", " "));
        }
    }

    static final List<String> EXPECTED = List.of(
            "ess.devices.x.host must not be blank",
            "ess.devices.x.port must be greater than or equal to 1",
            "ess.devices.x.unit-id must be less than or equal to 255",
            "ess.devices.x.poll-interval must be at least 100ms",
            "ess.devices.x.timeout must be at least 10ms",
            "ess.devices.x.request-gap must not be negative",
            "ess.devices.x.connect-delay must be at most 60s",
            "ess.modbus.reopen-after-timeouts must be greater than or equal to 1",
            "ess.modbus.busy-retry-delay must be at most 10s",
            "ess.spool.handoff-cycles must be greater than or equal to 1",
            "ess.spool.sync-interval must be at least 1ms",
            "ess.spool.replay-rows-per-second must be greater than or equal to 0",
            "ess.devices.x.max-registers must be at most 125 (the Modbus limit of one read)",
            "ess.devices.x.max-gap must be greater than or equal to 0",
            "ess.storage.batch-rows must be greater than or equal to 1",
            "ess.storage.max-in-flight must be greater than or equal to 1",
            "ess.storage.flush-interval must be at least 1ms",
            "ess.archive.zone 'Mars/Olympus' is not a time zone",
            "ess.archive.compression must be none or gzip",
            "ess.archive.cron 'every night' is not a Quartz cron expression",
            "ess.archive.backfill-days must be greater than or equal to 0",
            "ess.archive.gcs.timeout must be at least 100ms",
            "ess.archive.gcs.max-attempts must be greater than or equal to 1",
            "ess.devices.x.transport must be tcp, rtu-over-tcp or rtu",
            "ess.devices.x.baud-rate must be at least 300",
            "ess.devices.x.parity must be none, even or odd",
            "ess.devices.x.data-bits must be 7 or 8",
            "ess.devices.x.stop-bits must be 1 or 2",
            "ess.devices.x.serial-port must not be blank");

    private static void assertNamesEveryKey(LaunchResult r) {
        assertEquals(1, r.exitCode(), r.getOutput() + r.getErrorOutput());
        List<String> errors = r.getErrorOutput().lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(1, errors.size(), r.getErrorOutput());
        for (String problem : EXPECTED) {
            assertTrue(errors.get(0).contains(problem), "expected '" + problem + "' in: " + errors.get(0));
        }
    }

    @Test
    void theServiceRefusesToStart(QuarkusMainLauncher launcher) {
        assertNamesEveryKey(launcher.launch());
    }

    @Test
    void soDoTheCommands(QuarkusMainLauncher launcher) {
        assertNamesEveryKey(launcher.launch("archive", "--date", "2026-11-01"));
    }
}
