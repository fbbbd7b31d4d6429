package org.openess.gateway.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.openess.gateway.profile.StoredColumns;

/**
 * Reads the gateway's tables over a blocking JDBC {@link Connection} the caller owns, for readers
 * that run outside the reactive writer (the archive, as a scheduled job or a one-shot command):
 * they keep one connection for a whole run because its session carries the time zone, the
 * repeatable-read snapshot and the advisory locks. The statements live here, beside the schema
 * that {@link SchemaManager} creates, so the table layout has one owner.
 */
public final class StoredTables {
    private static final String TIMESTAMPTZ = "timestamp with time zone";

    private StoredTables() {
    }

    /**
     * Every table of the current schema that holds rows by time and device: a profile table (a
     * timestamptz "TIMESTAMP" and a text "SITE_ID"), {@code ess_quality} and {@code ess_gaps}
     * (ts, site_id) and {@code ess_alarms} (started_at, site_id). Read from the catalogue, not from
     * the configuration, so that tables of profiles no longer configured are found too.
     */
    public static List<StoredTable> discover(Connection c) throws SQLException {
        Map<String, List<String[]>> columns = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT col.table_name, col.column_name, col.data_type
                FROM information_schema.columns col
                JOIN information_schema.tables t ON t.table_schema = col.table_schema AND t.table_name = col.table_name
                WHERE col.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
                ORDER BY col.table_name, col.ordinal_position""");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                columns.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                        .add(new String[] { rs.getString(2), rs.getString(3) });
            }
        }
        List<StoredTable> tables = new ArrayList<>();
        for (Map.Entry<String, List<String[]>> t : columns.entrySet()) {
            String name = t.getKey();
            boolean own = StoredColumns.isEventTable(name);
            boolean alarms = name.equals(StoredColumns.ALARMS_TABLE);
            String time = alarms ? StoredColumns.ALARM_START : own ? StoredColumns.EVENT_TIME : StoredColumns.TIMESTAMP;
            String site = alarms ? StoredColumns.ALARM_DEVICE : own ? StoredColumns.EVENT_SITE_ID : StoredColumns.SITE_ID;
            boolean hasTime = t.getValue().stream().anyMatch(col -> col[0].equals(time) && col[1].equals(TIMESTAMPTZ));
            boolean hasSite = t.getValue().stream().anyMatch(col -> col[0].equals(site) && col[1].equals("text"));
            if (!hasTime || !hasSite) {
                continue;
            }
            List<String> names = t.getValue().stream().map(col -> col[0]).toList();
            List<String> timestamps = t.getValue().stream().filter(col -> col[1].equals(TIMESTAMPTZ)).map(col -> col[0]).toList();
            tables.add(new StoredTable(name, time, site, names, timestamps, uniqueKeyColumns(c, name)));
        }
        return tables;
    }

    /** The columns of the table's unique indexes, index by index in key order, each once. */
    private static List<String> uniqueKeyColumns(Connection c, String table) throws SQLException {
        List<String> key = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT a.attname FROM pg_index i
                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                WHERE i.indrelid = (quote_ident(current_schema()) || '.' || quote_ident(?))::regclass AND i.indisunique
                ORDER BY i.indexrelid, array_position(i.indkey::int2[], a.attnum)""")) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String col = rs.getString(1);
                    if (!key.contains(col)) {
                        key.add(col);
                    }
                }
            }
        }
        return key;
    }

    /** The device ids with rows whose time is in [start, end), in order. */
    public static Set<String> sitesBetween(Connection c, StoredTable t, OffsetDateTime start, OffsetDateTime end)
            throws SQLException {
        Set<String> sites = new TreeSet<>();
        try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT " + Sql.quote(t.siteColumn()) + " FROM " + Sql.quote(t.name())
                + " WHERE " + Sql.quote(t.timeColumn()) + " >= ? AND " + Sql.quote(t.timeColumn()) + " < ?")) {
            s.setObject(1, start);
            s.setObject(2, end);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    sites.add(rs.getString(1));
                }
            }
        }
        return sites;
    }

    /** The time of the table's oldest row; empty when the table has none. */
    public static Optional<OffsetDateTime> earliestTime(Connection c, StoredTable t) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT min(" + Sql.quote(t.timeColumn()) + ") FROM " + Sql.quote(t.name()))) {
            rs.next();
            return Optional.ofNullable(rs.getObject(1, OffsetDateTime.class));
        }
    }
}
