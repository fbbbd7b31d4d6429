package org.openess.gateway.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.openess.gateway.testsupport.QuarkusAppTest;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

/**
 * Usage text of every command, and how bad command lines and an empty configuration end: one line
 * starting {@code error:} and exit code 2 (command line) or 1 (configuration, runtime).
 */
@QuarkusMainTest
@QuarkusAppTest
class CommandLineTest {

    static String output(LaunchResult r) {
        return r.getOutput() + "\n" + r.getErrorOutput();
    }

    private static void assertBadCommandLine(LaunchResult r, String message) {
        assertEquals(2, r.exitCode(), output(r));
        assertTrue(r.getErrorOutput().lines().anyMatch(l -> l.equals("error: " + message)),
                "expected the line 'error: " + message + "' in: " + r.getErrorOutput());
    }

    @Test
    @Launch(value = {}, exitCode = 1)
    void withoutDevicesTheServiceSaysHowToConfigureOne(LaunchResult r) {
        assertTrue(output(r).contains("error: no devices configured: set ess.devices.\"<id>\".host"), output(r));
    }

    @Test
    void helpOfTheServiceListsTheCommandsAndExitCodes(QuarkusMainLauncher launcher) {
        assertHelp(launcher, new String[][] { { "--help" }, { "-h" }, { "help" } },
                "Usage: java -jar quarkus-run.jar [-h] [COMMAND]",
                "Without a command: run the gateway service",
                " simulate Serve simulated Modbus TCP devices",
                " archive Write each site's day of each table as CSV",
                " retention Drop raw rows of days older than ess.timescale.retain-raw",
                "Exit codes: 0 done, 1 configuration or runtime error, 2 bad command line.");
    }

    /** Each of {@code variants} exits 0 with a usage text (whitespace collapsed) that contains every one of {@code expected}. */
    private static void assertHelp(QuarkusMainLauncher launcher, String[][] variants, String... expected) {
        for (String[] args : variants) {
            LaunchResult r = launcher.launch(args);
            assertEquals(0, r.exitCode(), output(r));
            String usage = r.getOutput().replaceAll("\\s+", " ");
            for (String e : expected) {
                assertTrue(usage.contains(e), usage);
            }
        }
    }

    @Test
    void helpOfSimulateShowsEachOptionWithItsDefault(QuarkusMainLauncher launcher) {
        assertHelp(launcher, new String[][] { { "simulate", "--help" }, { "help", "simulate" } },
                "Usage: java -jar quarkus-run.jar simulate [-h] [--base-port=PORT] [--devices=N] "
                        + "[--glitch-every=SECONDS] [--host=HOST] [--profile=operation1|FILE|sunspec:MODELS] "
                        + "[--transport=tcp|rtu-over-tcp]",
                "--devices=N Number of devices, 1..20000. Default: 1",
                "--base-port=PORT Port of the first device; device i listens on PORT+i. Default: 15020",
                "--host=HOST Address to listen on. Default: 127.0.0.1",
                "Built-in profile name, a YAML/JSON profile file, or a SunSpec chain: "
                        + "sunspec:1,802,803,804[:strings=N][:modules=M]. Default: operation1",
                "Every SECONDS serve one range-checked point out of range; 0..86400, 0 = never. Default: 0",
                "--transport=tcp|rtu-over-tcp tcp: Modbus TCP, device i on PORT+i; rtu-over-tcp: every device on PORT as unit "
                        + "i+1 of one RTU bus (RTU frames with CRC over TCP, as a serial-to-Ethernet converter). Default: tcp");
    }

    @Test
    void helpOfArchiveShowsTheOptionsAndExitCodes(QuarkusMainLauncher launcher) {
        assertHelp(launcher, new String[][] { { "archive", "--help" }, { "help", "archive" } },
                "Usage: java -jar quarkus-run.jar archive [-h] [--date=YYYY-MM-DD] [--from=YYYY-MM-DD] "
                        + "[--site=SITE_ID] [--to=YYYY-MM-DD]",
                "--date=YYYY-MM-DD Archive this one day.",
                "Without dates: yesterday and earlier days without a manifest",
                "Exit codes: 0 every site's day archived (or nothing to do), 1 a site's day failed");
    }

    @Test
    void helpOfRetentionShowsTheOptionsAndExitCodes(QuarkusMainLauncher launcher) {
        assertHelp(launcher, new String[][] { { "retention", "--help" }, { "help", "retention" } },
                "Usage: java -jar quarkus-run.jar retention [-h] [--dry-run] [--retain-raw=AGE]",
                "--dry-run List what would be dropped and why; change nothing.",
                "matches the database (row counts per table and site, files present)",
                "Exit codes: 0 done (kept days are listed, not errors)");
    }

    @Test
    void badCommandLinesEndWithExitCode2AndTheUsage(QuarkusMainLauncher launcher) {
        LaunchResult unknown = launcher.launch("frobnicate");
        assertBadCommandLine(unknown, "unknown command 'frobnicate'");
        assertTrue(unknown.getErrorOutput().contains("Usage: java -jar quarkus-run.jar [-h] [COMMAND]"), unknown.getErrorOutput());
        assertBadCommandLine(launcher.launch("--verbose"), "Unknown option: '--verbose'");
        assertBadCommandLine(launcher.launch("help", "frobnicate"), "Unknown subcommand 'frobnicate'.");

        LaunchResult nonNumeric = launcher.launch("simulate", "--devices", "many");
        assertBadCommandLine(nonNumeric, "simulate: Invalid value for option '--devices': 'many' is not an int");
        assertTrue(nonNumeric.getErrorOutput().contains("Usage: java -jar quarkus-run.jar simulate [-h]"), nonNumeric.getErrorOutput());
        assertBadCommandLine(launcher.launch("simulate", "--ports", "3"), "simulate: Unknown options: '--ports', '3'");
        assertBadCommandLine(launcher.launch("simulate", "--devices"), "simulate: Missing required parameter for option '--devices' (N)");
        assertBadCommandLine(launcher.launch("simulate", "--devices", "0"), "simulate: --devices must be 1..20000, got 0");
        assertBadCommandLine(launcher.launch("simulate", "--base-port", "70000"), "simulate: --base-port must be 1..65535, got 70000");
        assertBadCommandLine(launcher.launch("simulate", "--glitch-every", "-1"), "simulate: --glitch-every must be 0..86400, got -1");
        assertBadCommandLine(launcher.launch("simulate", "extra"), "simulate: Unmatched argument at index 1: 'extra'");

        LaunchResult badAge = launcher.launch("retention", "--retain-raw", "banana");
        assertBadCommandLine(badAge,
                "retention: Invalid value for option '--retain-raw': expects an age such as 30d, 36h or PT48H, got 'banana'");
        assertTrue(badAge.getErrorOutput().contains("Usage: java -jar quarkus-run.jar retention [-h]"), badAge.getErrorOutput());
    }

    @Test
    @Launch(value = { "simulate", "--base-port", "65535", "--devices", "2" }, exitCode = 1)
    void refusesPortsPast65535(LaunchResult r) {
        assertTrue(output(r).contains("error: ports 65535..65536 are not all valid TCP ports"), output(r));
    }

    @Test
    @Launch(value = { "simulate", "--profile", "nosuchprofile" }, exitCode = 1)
    void refusesAnUnknownProfile(LaunchResult r) {
        assertTrue(output(r).contains("error: unknown profile 'nosuchprofile': not a built-in profile (operation1) and no such file"),
                output(r));
    }
}
