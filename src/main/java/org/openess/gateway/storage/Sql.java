package org.openess.gateway.storage;

/** SQL text helpers. Profile names are validated identifiers; quoting keeps their case. */
public final class Sql {
    private Sql() {
    }

    public static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    public static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
