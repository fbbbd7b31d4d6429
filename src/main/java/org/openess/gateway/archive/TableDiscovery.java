package org.openess.gateway.archive;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openess.gateway.profile.StoredColumns;
import org.openess.gateway.storage.SchemaManager;

/**
 * Finds what to archive in the database itself rather than in {@code ess.devices}: a Cloud Run job
 * has no device configuration, and tables of profiles no longer configured still hold history.
 * Archived: every table of the current schema with a timestamptz "TIMESTAMP" and a text "SITE_ID"
 * (the profile tables), plus {@code ess_quality} and {@code ess_gaps} (ts, site_id), which explain
 * the missing and suspicious values of the same day, and {@code ess_alarms} (the alarms that
 * started that day, started_at, site_id; one still active at export time has no ended_at).
 */
final class TableDiscovery {
    private TableDiscovery() {
    }

    static List<ArchivedTable> discover(Connection c) throws SQLException {
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
        List<ArchivedTable> tables = new ArrayList<>();
        for (Map.Entry<String, List<String[]>> t : columns.entrySet()) {
            String name = t.getKey();
            boolean own = SchemaManager.isEventTable(name);
            boolean alarms = name.equals(SchemaManager.ALARMS_TABLE);
            String time = alarms ? SchemaManager.ALARM_START_COLUMN : own ? StoredColumns.EVENT_TIME : StoredColumns.TIMESTAMP;
            String site = alarms ? SchemaManager.ALARM_DEVICE_COLUMN : own ? StoredColumns.EVENT_SITE_ID : StoredColumns.SITE_ID;
            boolean hasTime = t.getValue().stream().anyMatch(col -> col[0].equals(time) && col[1].equals("timestamp with time zone"));
            boolean hasSite = t.getValue().stream().anyMatch(col -> col[0].equals(site) && col[1].equals("text"));
            if (!hasTime || !hasSite) {
                continue;
            }
            List<String> names = t.getValue().stream().map(col -> col[0]).toList();
            List<String> timestamps = t.getValue().stream().filter(col -> col[1].equals("timestamp with time zone")).map(col -> col[0])
                    .toList();
            tables.add(new ArchivedTable(name, time, site, names, timestamps, orderBy(c, name, time, site)));
        }
        return tables;
    }

    /** Time first, then the other columns of the table's unique key, so the order is total and repeatable. */
    private static List<String> orderBy(Connection c, String table, String time, String site) throws SQLException {
        List<String> order = new ArrayList<>(List.of(time));
        try (PreparedStatement s = c.prepareStatement("""
                SELECT a.attname FROM pg_index i
                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                WHERE i.indrelid = (quote_ident(current_schema()) || '.' || quote_ident(?))::regclass AND i.indisunique
                ORDER BY i.indexrelid, array_position(i.indkey::int2[], a.attnum)""")) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String col = rs.getString(1);
                    if (!order.contains(col) && !col.equals(site)) {
                        order.add(col);
                    }
                }
            }
        }
        return order;
    }
}
