package org.openess.gateway.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;

/**
 * What a blocking JDBC session holds besides rows: the time zone in which the server formats
 * timestamps, and session advisory locks. Both end with the connection, so a reader that crashes
 * leaves no lock behind. Kept with the other statements of {@code storage} so that no package
 * above it writes SQL.
 */
public final class JdbcSession {
    private JdbcSession() {
    }

    /** The zone of every timestamp the server formats as text on this connection. */
    public static void setTimeZone(Connection c, ZoneId zone) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET TIME ZONE " + Sql.literal(zone.getId()));
        }
    }

    /** Takes the session lock {@code key} without waiting; false when another session holds it. */
    public static boolean tryAdvisoryLock(Connection c, long key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            s.setLong(1, key);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Releases the session lock {@code key} taken by {@link #tryAdvisoryLock}. */
    public static void advisoryUnlock(Connection c, long key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            s.setLong(1, key);
            s.execute();
        }
    }
}
