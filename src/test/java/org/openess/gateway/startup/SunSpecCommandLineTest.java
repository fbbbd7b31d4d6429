package org.openess.gateway.startup;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.openess.gateway.testsupport.QuarkusAppTest;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;

/** {@code simulate --profile sunspec:...}: a bad chain spec ends with a one-line error naming what is wrong. */
@QuarkusMainTest
@QuarkusAppTest
class SunSpecCommandLineTest {

    static String output(LaunchResult r) {
        return r.getOutput() + "\n" + r.getErrorOutput();
    }

    @Test
    @Launch(value = { "simulate", "--profile", "sunspec:1,802,9999" }, exitCode = 1)
    void refusesAnUnknownModel(LaunchResult r) {
        assertTrue(output(r).contains("error: sunspec:1,802,9999: model 9999 is not known (built-in: [1, 103, 124, 701, 713, 802, 803, "
                + "804, 805])"), output(r));
    }

    @Test
    @Launch(value = { "simulate", "--profile", "sunspec:802,803:strings=two" }, exitCode = 1)
    void refusesABadOption(LaunchResult r) {
        assertTrue(output(r).contains("error: sunspec:802,803:strings=two: 'strings=two' must be strings=N, modules=N, cells=N or base=N"),
                output(r));
    }
}
