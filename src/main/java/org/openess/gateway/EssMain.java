package org.openess.gateway;

import java.util.function.BiConsumer;

import org.jboss.logging.Logger;
import org.openess.gateway.cli.CommandLines;
import org.openess.gateway.cli.ServiceCommand;
import org.openess.gateway.service.StartupCheck;

import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import picocli.CommandLine;

/**
 * {@code java -jar quarkus-run.jar} runs the gateway; {@code ... simulate ...} runs simulated
 * devices; {@code ... archive ...} archives days to CSV once and exits (picocli commands, see
 * {@link org.openess.gateway.cli.ServiceCommand}). Errors in configuration, profiles or arguments
 * end the process with a one-line message and exit code 1 (configuration, runtime) or 2 (command
 * line) instead of a stack trace.
 */
@QuarkusMain
public class EssMain implements QuarkusApplication {

    @Inject
    Instance<CommandLine.IFactory> factory;
    @Inject
    Instance<ServiceCommand> service;

    public static void main(String... args) {
        // anything but the bare service is a one-shot command (or help) that needs no HTTP listener;
        // this must be decided before Quarkus starts, so it cannot wait for picocli's parse
        boolean command = args.length > 0;
        String previous = System.getProperty("quarkus.http.host-enabled");
        if (command) {
            System.setProperty("quarkus.http.host-enabled", "false");
        } else {
            System.setProperty(StartupCheck.SERVICE_PROPERTY, "true");
        }
        // @QuarkusMainTest runs this main inside the test JVM and installs a default handler that
        // does not exit; System.exit here would end the whole test run
        BiConsumer<Integer, Throwable> exit = ApplicationLifecycleManager.getDefaultExitCodeHandler();
        try {
            Quarkus.run(EssMain.class, (code, failure) -> {
                if (failure != null) {
                    // start-up failed (configuration validation, profiles, models): no command ran
                    String message = CommandLines.startupMessage(failure);
                    Logger.getLogger(EssMain.class).errorf("cannot start: %s", message);
                    System.err.println("error: " + message);
                }
                if (exit == null) {
                    System.exit(code);
                } else {
                    exit.accept(code, null);
                }
            }, args);
        } finally {
            System.clearProperty(StartupCheck.SERVICE_PROPERTY);
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
        return args.length == 0 ? CommandLines.runService(service.get()) : CommandLines.create(factory.get()).execute(args);
    }
}
