package org.openess.gateway.cli;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Options of a one-shot command: {@code --name value} or {@code --name=value}. Unknown options,
 * missing values and malformed numbers or dates are refused with a message that names them.
 */
public final class CliArgs {
    private final String command;
    private final Map<String, String> values = new LinkedHashMap<>();

    private CliArgs(String command) {
        this.command = command;
    }

    public static CliArgs parse(String command, String[] args, Set<String> allowed) {
        CliArgs parsed = new CliArgs(command);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.length() == 2) {
                throw new CliException(command + ": unexpected argument '" + a + "' (options: " + String.join(", ", allowed) + ")");
            }
            String name;
            String value;
            int eq = a.indexOf('=');
            if (eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            } else {
                name = a;
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new CliException(command + ": option " + name + " needs a value");
                }
                value = args[++i];
            }
            if (!allowed.contains(name)) {
                throw new CliException(command + ": unknown option " + name + " (options: " + String.join(", ", allowed) + ")");
            }
            if (parsed.values.put(name, value) != null) {
                throw new CliException(command + ": option " + name + " given twice");
            }
        }
        return parsed;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public int integer(String name, int fallback, int min, int max) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new CliException(command + ": " + name + " expects a whole number, got '" + v + "'");
        }
        if (n < min || n > max) {
            throw new CliException(command + ": " + name + " must be " + min + ".." + max + ", got " + n);
        }
        return n;
    }

    public LocalDate date(String name) {
        String v = values.get(name);
        if (v == null) {
            return null;
        }
        try {
            return LocalDate.parse(v.trim());
        } catch (DateTimeParseException e) {
            throw new CliException(command + ": " + name + " expects a date as YYYY-MM-DD, got '" + v + "'");
        }
    }

    public static Set<String> options(String... names) {
        return new java.util.LinkedHashSet<>(Arrays.asList(names));
    }

    public static String[] rest(String[] args) {
        return args.length <= 1 ? new String[0] : Arrays.copyOfRange(args, 1, args.length);
    }

    public List<String> names() {
        return List.copyOf(values.keySet());
    }
}
