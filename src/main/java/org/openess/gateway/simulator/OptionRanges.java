package org.openess.gateway.simulator;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Bounds of numeric options: picocli converts the type, the range is ours (exit code 2 like any bad argument). */
public final class OptionRanges {
    private OptionRanges() {
    }

    public static void check(CommandSpec spec, String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ParameterException(spec.commandLine(), option + " must be " + min + ".." + max + ", got " + value);
        }
    }
}
