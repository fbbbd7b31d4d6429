package org.openess.gateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.openess.gateway.testsupport.DeployTest;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

/**
 * The command lines of the Deployment, the CronJob and the Cloud Run job, against the real CLI:
 * the command is one the application's help lists, and every option is one its usage names. The
 * usage comes from {@code <command> --help} where the CLI has per-command help, else from
 * {@code help}.
 */
@QuarkusMainTest
@DeployTest
class ManifestCommandsTest {

    @Test
    void everyCommandLineInTheDeploymentFilesIsOneTheCliAccepts(QuarkusMainLauncher launcher) throws Exception {
        List<List<String>> lines = K8sManifestsTest.commandLines();
        assertTrue(lines.contains(List.of()), "the gateway runs the service: no arguments");
        assertTrue(lines.stream().anyMatch(l -> !l.isEmpty() && l.get(0).equals("archive")), "an archive job: " + lines);
        LaunchResult help = launcher.launch("help");
        assertEquals(0, help.exitCode(), help.getOutput() + help.getErrorOutput());
        String commands = help.getOutput();
        for (List<String> line : lines) {
            if (line.isEmpty()) {
                continue;
            }
            String command = line.get(0);
            assertFalse(command.startsWith("-"), "a command first: " + line);
            assertTrue(Pattern.compile("(?m)^\\s*" + Pattern.quote(command) + "\\b").matcher(commands).find(),
                    command + " is not a command in:\n" + commands);
            LaunchResult own = launcher.launch(command, "--help");
            String usage = own.exitCode() == 0 ? own.getOutput() : commands;
            for (String arg : line.subList(1, line.size())) {
                if (arg.startsWith("--")) {
                    String option = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                    assertTrue(Pattern.compile(Pattern.quote(option) + "\\b").matcher(usage).find(),
                            line + ": " + option + " is not an option of " + command + " in:\n" + usage);
                }
            }
        }
    }
}
