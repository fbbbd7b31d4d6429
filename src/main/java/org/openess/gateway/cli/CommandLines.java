package org.openess.gateway.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;
import org.openess.gateway.config.Causes;
import org.openess.gateway.profile.ProfileException;

import io.smallrye.config.ConfigValidationException;
import picocli.CommandLine;

/**
 * The command line of the jar: {@link ServiceCommand} with its subcommands, and what the process
 * says when something is wrong. Exit codes: 0 done, 1 configuration or runtime error, 2 bad
 * command line; either error is one line starting {@code error:} on stderr (a bad command line
 * is followed by the usage of the command it was meant for).
 */
public final class CommandLines {
    public static final int CONFIG_OR_RUNTIME_ERROR = 1;
    public static final int BAD_COMMAND_LINE = 2;

    private CommandLines() {
    }

    public static CommandLine create(CommandLine.IFactory factory) {
        CommandLine cli = new CommandLine(ServiceCommand.class, factory);
        // wide enough that no ess.* key in a description is broken at its dots
        cli.setUsageHelpWidth(100);
        cli.setParameterExceptionHandler(CommandLines::badCommandLine);
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            Logger.getLogger(CommandLines.class).errorf("%s failed: %s", command.getCommandName(), runtimeMessage(e));
            command.getErr().println("error: " + runtimeMessage(e));
            command.getErr().flush();
            return CONFIG_OR_RUNTIME_ERROR;
        });
        return cli;
    }

    /**
     * The bare service (no arguments): there is no command line to parse, so picocli's model of
     * every command and option is never built in the process that runs for months. Errors end it
     * as a failed command would.
     */
    public static int runService(ServiceCommand service) {
        try {
            return service.call();
        } catch (RuntimeException e) {
            Logger.getLogger(CommandLines.class).errorf("the service failed: %s", runtimeMessage(e));
            System.err.println("error: " + runtimeMessage(e));
            return CONFIG_OR_RUNTIME_ERROR;
        }
    }

    private static int badCommandLine(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        String message = e.getMessage();
        if (e instanceof CommandLine.UnmatchedArgumentException u && !command.getSubcommands().isEmpty()
                && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
            message = "unknown command '" + u.getUnmatched().get(0) + "'";
        }
        err.println("error: " + (command.getParent() != null ? command.getCommandName() + ": " : "") + message);
        command.usage(err);
        err.flush();
        return BAD_COMMAND_LINE;
    }

    /** Our own exceptions already name the key, file or entry and include their cause. */
    static String runtimeMessage(Throwable e) {
        if ((e instanceof ProfileException || e instanceof IllegalArgumentException || e instanceof IllegalStateException)
                && e.getMessage() != null) {
            return e.getMessage();
        }
        return Causes.rootMessage(e);
    }

    /**
     * Why Quarkus could not start, in one line: every problem the configuration validation found
     * (each names its key), else the innermost message.
     */
    public static String startupMessage(Throwable failure) {
        for (Throwable c = failure; c != null; c = c.getCause()) {
            if (c instanceof ConfigValidationException v) {
                List<String> problems = new ArrayList<>();
                for (int i = 0; i < v.getProblemCount(); i++) {
                    problems.add(v.getProblem(i).getMessage().strip());
                }
                return String.join("; ", problems);
            }
        }
        // a profile or model mistake found by the start-up check: our own exception names the device and file
        for (Throwable c = failure; c != null; c = c.getCause()) {
            if ((c instanceof ProfileException || c instanceof IllegalArgumentException) && c.getMessage() != null) {
                return c.getMessage();
            }
        }
        return Causes.rootMessage(failure);
    }
}
