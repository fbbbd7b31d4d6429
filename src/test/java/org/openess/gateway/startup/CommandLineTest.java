package org.openess.gateway.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;

/** Bad command lines and an empty configuration end with a one-line error and a non-zero exit code. */
@QuarkusMainTest
class CommandLineTest {

    static String output(LaunchResult r) {
        return r.getOutput() + "\n" + r.getErrorOutput();
    }

    @Test
    @Launch(value = {}, exitCode = 1)
    void withoutDevicesTheServiceSaysHowToConfigureOne(LaunchResult r) {
        assertTrue(output(r).contains("error: no devices configured: set ess.devices.\"<id>\".host"), output(r));
    }

    @Test
    @Launch(value = { "simulate", "--devices", "many" }, exitCode = 2)
    void refusesANonNumericDeviceCount(LaunchResult r) {
        assertTrue(output(r).contains("error: simulate: --devices expects a whole number, got 'many'"), output(r));
    }

    @Test
    @Launch(value = { "simulate", "--ports", "3" }, exitCode = 2)
    void refusesAnUnknownOption(LaunchResult r) {
        assertTrue(output(r).contains("error: simulate: unknown option --ports (options: --devices, --base-port, --host, "
                + "--profile, --glitch-every)"), output(r));
    }

    @Test
    @Launch(value = { "simulate", "--devices" }, exitCode = 2)
    void refusesAnOptionWithoutValue(LaunchResult r) {
        assertTrue(output(r).contains("error: simulate: option --devices needs a value"), output(r));
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

    @Test
    @Launch(value = { "frobnicate" }, exitCode = 2)
    void refusesAnUnknownCommand(LaunchResult r) {
        assertTrue(output(r).contains("error: unknown command 'frobnicate'"), output(r));
        assertTrue(output(r).contains("usage: java -jar quarkus-run.jar"), output(r));
    }

    @Test
    @Launch(value = { "help" })
    void printsUsage(LaunchResult r) {
        assertEquals(0, r.exitCode());
        assertTrue(r.getOutput().contains("simulate [--devices N"), r.getOutput());
    }
}
