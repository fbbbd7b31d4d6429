package org.openess.gateway.archive;

import java.util.List;

/**
 * A table as the archive reads it: its columns in table order, which of them hold the time and the
 * site, every {@code timestamptz} column (all written as ISO-8601), and the row order of the file
 * (time, then the rest of the table's unique key).
 */
public record ArchivedTable(String name, String timeColumn, String siteColumn, List<String> columns, List<String> timestampColumns,
        List<String> orderBy) {
}
