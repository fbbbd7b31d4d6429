package org.openess.gateway.profile;

import java.util.Locale;

/** PostgreSQL column types a point can be stored as. */
public enum SqlType {
    FLOAT8, INT4, INT8, BOOL,
    /** Strings and addresses of SunSpec devices; not selectable in profile files. */
    TEXT;

    public String sql() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isInteger() {
        return this == INT4 || this == INT8;
    }

    public static SqlType parse(String text) {
        for (SqlType t : values()) {
            if (t != TEXT && t.sql().equals(text)) {
                return t;
            }
        }
        return null;
    }

    /** PostgreSQL's own spelling in information_schema.columns.udt_name. */
    public static SqlType fromUdtName(String udt) {
        return "text".equals(udt) ? TEXT : parse(udt);
    }
}
