package org.openess.gateway.archive;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.openess.gateway.storage.StoredTable;
import org.openess.gateway.storage.StoredTables;

/**
 * Finds what to archive in the database itself rather than in {@code ess.devices}: a Cloud Run job
 * has no device configuration, and tables of profiles no longer configured still hold history.
 * Archived: every table that {@link StoredTables#discover} finds, that is the profile tables plus
 * {@code ess_quality} and {@code ess_gaps}, which explain the missing and suspicious values of the
 * same day, and {@code ess_alarms} (the alarms that started that day; one still active at export
 * time has no ended_at).
 */
final class TableDiscovery {
    private TableDiscovery() {
    }

    static List<ArchivedTable> discover(Connection c) throws SQLException {
        return StoredTables.discover(c).stream().map(t -> new ArchivedTable(t, orderBy(t))).toList();
    }

    /** Time first, then the other columns of the table's unique key, so the order is total and repeatable. */
    private static List<String> orderBy(StoredTable t) {
        List<String> order = new ArrayList<>(List.of(t.timeColumn()));
        for (String col : t.uniqueKeyColumns()) {
            if (!order.contains(col) && !col.equals(t.siteColumn())) {
                order.add(col);
            }
        }
        return List.copyOf(order);
    }
}
