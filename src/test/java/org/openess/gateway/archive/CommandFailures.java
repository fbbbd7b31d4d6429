package org.openess.gateway.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.main.LaunchResult;

/**
 * What the ArchiveCommand*Test classes with unusable settings expect: exit code 1 and one line
 * that says what is wrong and which key to fix. One class per configuration, because each needs
 * its own Quarkus test profile (and surefire does not run nested classes).
 */
final class CommandFailures {
    private CommandFailures() {
    }

    static void assertFails(LaunchResult r, String message) {
        assertEquals(1, r.exitCode(), r.getOutput() + r.getErrorOutput());
        assertTrue(r.getErrorOutput().contains(message), "expected '" + message + "' in: " + r.getErrorOutput());
    }
}
