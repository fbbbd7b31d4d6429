package org.openess.gateway.profile;

import java.util.Locale;

/** PostgreSQL column types a point can be stored as. */
public enum SqlType {
    FLOAT8, INT4, INT8, BOOL;

    public String sql() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isInteger() {
        return this == INT4 || this == INT8;
    }

    public static SqlType parse(String text) {
        for (SqlType t : values()) {
            if (t.sql().equals(text)) {
                return t;
            }
        }
        return null;
    }
}
