package org.openess.gateway.config;

import picocli.CommandLine.Option;

/**
 * The {@code -h, --help} option every command of the jar has, as a picocli mixin
 * ({@code @Mixin HelpOption help;}), so that the commands cannot word or spell it differently.
 * It lives with the configuration because the commands sit in several stages (archive,
 * simulator, cli) and each may only import a lower one.
 */
public final class HelpOption {
    @Option(names = { "-h", "--help" }, usageHelp = true, description = "Show this help and exit.")
    boolean help;
}
