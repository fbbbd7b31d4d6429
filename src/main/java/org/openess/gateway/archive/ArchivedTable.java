package org.openess.gateway.archive;

import java.util.List;

import org.openess.gateway.storage.StoredTable;

/**
 * A table as the archive reads it: the stored table (every {@code timestamptz} column of it is
 * written as ISO-8601) and the row order of its files (time, then the rest of the table's unique
 * key), which makes a day's file the same on every run.
 */
record ArchivedTable(StoredTable stored, List<String> orderBy) {

    String name() {
        return stored.name();
    }

    String timeColumn() {
        return stored.timeColumn();
    }

    String siteColumn() {
        return stored.siteColumn();
    }

    List<String> columns() {
        return stored.columns();
    }

    List<String> timestampColumns() {
        return stored.timestampColumns();
    }
}
