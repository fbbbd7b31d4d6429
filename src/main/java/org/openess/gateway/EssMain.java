package org.openess.gateway;

import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;

import org.openess.gateway.archive.ArchiveCommand;
import org.openess.gateway.archive.ArchiveSchedule;
import org.openess.gateway.cli.CliArgs;
import org.openess.gateway.cli.CliException;
import org.openess.gateway.profile.ProfileException;
import org.openess.gateway.simulator.SimulateCommand;

import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;

/**
 * {@code java -jar quarkus-run.jar} runs the gateway; {@code ... simulate ...} runs simulated
 * devices; {@code ... archive ...} archives days to CSV once and exits. Errors in configuration,
 * profiles or arguments end the process with a one-line message and a non-zero exit code instead
 * of a stack trace.
 */
@QuarkusMain
public class EssMain implements QuarkusApplication {
    static final String USAGE = """
            usage: java -jar quarkus-run.jar [command]
              (no command)   run the gateway: poll ess.devices.*, store rows
              %s
              %s
            """.formatted(SimulateCommand.USAGE, ArchiveCommand.USAGE);

    @Inject
    GatewayService gateway;
    @Inject
    org.openess.gateway.config.EssConfig config;
    @Inject
    SimulateCommand simulate;
    @Inject
    ArchiveCommand archive;
    @Inject
    ArchiveSchedule archiveSchedule;

    public static void main(String... args) {
        boolean command = args.length > 0 && !args[0].equals("run");
        String previous = System.getProperty("quarkus.http.host-enabled");
        if (command) {
            // one-shot commands share the jar with the service but need no HTTP listener
            System.setProperty("quarkus.http.host-enabled", "false");
        }
        // @QuarkusMainTest runs this main inside the test JVM and installs a default handler that
        // does not exit; System.exit here would end the whole test run
        BiConsumer<Integer, Throwable> exit = ApplicationLifecycleManager.getDefaultExitCodeHandler();
        try {
            Quarkus.run(EssMain.class, (code, failure) -> {
                if (failure != null) {
                    System.err.println("error: " + rootMessage(failure));
                }
                if (exit == null) {
                    System.exit(code);
                } else {
                    exit.accept(code, null);
                }
            }, args);
        } finally {
            if (command) {
                // in a test JVM the next application must get its HTTP listener back
                if (previous == null) {
                    System.clearProperty("quarkus.http.host-enabled");
                } else {
                    System.setProperty("quarkus.http.host-enabled", previous);
                }
            }
        }
    }

    @Override
    public int run(String... args) {
        try {
            String command = args.length == 0 ? "run" : args[0];
            switch (command) {
                case "run" -> {
                    if (args.length > 1) {
                        throw new CliException("run takes no arguments; configure with ess.* keys");
                    }
                    archiveSchedule.start();
                    gateway.start();
                    Quarkus.waitForExit();
                    gateway.stop(config.shutdown().timeout());
                    return 0;
                }
                case "simulate" -> {
                    return simulate.run(CliArgs.rest(args));
                }
                case "archive" -> {
                    return archive.run(CliArgs.rest(args));
                }
                case "help", "--help", "-h" -> {
                    System.out.print(USAGE);
                    return 0;
                }
                default -> throw new CliException("unknown command '" + command + "'\n" + USAGE);
            }
        } catch (CliException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        } catch (ProfileException | IllegalArgumentException | IllegalStateException e) {
            // our own messages already name the key, file or entry (and include their cause)
            System.err.println("error: " + (e.getMessage() != null ? e.getMessage() : rootMessage(e)));
            return 1;
        } catch (CompletionException e) {
            System.err.println("error: " + rootMessage(e));
            return 1;
        }
    }

    /**
     * The message that says what is wrong: the innermost cause that has one, since start-up
     * failures arrive wrapped ("Failed to start quarkus" around the configuration error).
     */
    static String rootMessage(Throwable t) {
        String message = null;
        int depth = 0;
        for (Throwable c = t; c != null && depth < 20; c = c.getCause(), depth++) {
            if (c.getMessage() != null && !(c instanceof CompletionException)) {
                message = c.getMessage();
            }
        }
        return message == null ? t.toString() : message;
    }
}
