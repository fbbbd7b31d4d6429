package org.openess.gateway.storage;

import java.util.List;

/**
 * A table of the gateway as the database describes it: its columns in table order, which of them
 * hold the time and the device id, every {@code timestamptz} column, and the columns of its unique
 * keys (key by key, in key order, each once).
 */
public record StoredTable(String name, String timeColumn, String siteColumn, List<String> columns, List<String> timestampColumns,
        List<String> uniqueKeyColumns) {
}
