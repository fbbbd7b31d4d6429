package org.openess.gateway.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The statements retention needs, over the caller's blocking JDBC connection (the archive's): rows
 * per device in a time range (compared with the archive's manifests), a hypertable's chunks, and
 * the two ways rows go: whole chunks ({@code drop_chunks}) and the rest of a day ({@code DELETE}).
 */
public final class RetentionStatements {
    private RetentionStatements() {
    }

    /** A chunk's time range, [start, end). */
    public record Chunk(OffsetDateTime start, OffsetDateTime end) {
    }

    /** Rows per device id with time in [start, end). */
    public static Map<String, Long> countsBySite(Connection c, StoredTable t, OffsetDateTime start, OffsetDateTime end)
            throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT " + Sql.quote(t.siteColumn()) + ", count(*) FROM " + Sql.quote(t.name())
                + " WHERE " + Sql.quote(t.timeColumn()) + " >= ? AND " + Sql.quote(t.timeColumn()) + " < ? GROUP BY 1")) {
            s.setObject(1, start);
            s.setObject(2, end);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return counts;
    }

    /** True when {@code table} is a TimescaleDB hypertable of the current schema. */
    public static boolean isHypertable(Connection c, String table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'");
                ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
                return false;
            }
        }
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM timescaledb_information.hypertables "
                + "WHERE hypertable_schema = current_schema() AND hypertable_name = ?")) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The hypertable's chunks, oldest first. */
    public static List<Chunk> chunks(Connection c, String table) throws SQLException {
        List<Chunk> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT range_start, range_end FROM timescaledb_information.chunks "
                + "WHERE hypertable_schema = current_schema() AND hypertable_name = ? ORDER BY range_start")) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Chunk(rs.getObject(1, OffsetDateTime.class), rs.getObject(2, OffsetDateTime.class)));
                }
            }
        }
        return out;
    }

    /** Drops the chunks of {@code table} that lie entirely within [start, end]; returns how many. */
    public static int dropChunks(Connection c, String table, OffsetDateTime start, OffsetDateTime end) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM drop_chunks(?::regclass, older_than => ?, newer_than => ?)")) {
            s.setString(1, Sql.quote(table));
            s.setObject(2, end);
            s.setObject(3, start);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Deletes the rows with time in [start, end); returns how many. */
    public static long deleteBetween(Connection c, StoredTable t, OffsetDateTime start, OffsetDateTime end) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + Sql.quote(t.name()) + " WHERE " + Sql.quote(t.timeColumn())
                + " >= ? AND " + Sql.quote(t.timeColumn()) + " < ?")) {
            s.setObject(1, start);
            s.setObject(2, end);
            return s.executeLargeUpdate();
        }
    }
}
