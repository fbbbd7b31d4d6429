package org.openess.gateway.profile;

import java.util.ArrayList;
import java.util.List;

/**
 * The stored shape of one profile table: "TIMESTAMP", "SITE_ID", then the value columns in order
 * (constants, the group key, the points). Decoded rows carry the value columns by index; the
 * schema manager and the writer read names and types from here, so the three cannot disagree.
 */
public final class TableLayout {
    public enum ColumnKind { CONSTANT, GROUP_KEY, POINT }

    public record Column(String name, SqlType type, ColumnKind kind, boolean key) {
    }

    private final String table;
    private final String profile;
    private final List<Column> columns;
    private final List<String> keyColumns;
    private final boolean hasText;

    private TableLayout(String table, String profile, List<Column> columns) {
        this.table = table;
        this.profile = profile;
        this.columns = List.copyOf(columns);
        List<String> keys = new ArrayList<>(List.of(StoredColumns.SITE_ID, StoredColumns.TIMESTAMP));
        columns.stream().filter(Column::key).forEach(c -> keys.add(c.name()));
        this.keyColumns = List.copyOf(keys);
        this.hasText = columns.stream().anyMatch(c -> c.type() == SqlType.TEXT);
    }

    public static TableLayout of(Profile profile, TableSpec spec) {
        List<Column> columns = new ArrayList<>();
        spec.constants().keySet().forEach(c -> columns.add(new Column(c, SqlType.INT4, ColumnKind.CONSTANT, true)));
        if (spec.group() != null) {
            columns.add(new Column(spec.group().column(), SqlType.INT4, ColumnKind.GROUP_KEY, true));
        }
        spec.points().forEach(p -> columns.add(new Column(p.column(), p.sqlType(), ColumnKind.POINT, false)));
        return new TableLayout(spec.name(), profile.source(), columns);
    }

    public String table() {
        return table;
    }

    /** Where this layout was declared, for error messages. */
    public String profile() {
        return profile;
    }

    /** Value columns, without "TIMESTAMP" and "SITE_ID". */
    public List<Column> columns() {
        return columns;
    }

    /** True when a column is {@code text} (rows then carry a string array). */
    public boolean hasText() {
        return hasText;
    }

    public int width() {
        return columns.size();
    }

    /** The unique key: "SITE_ID", "TIMESTAMP", then constant and group-key columns. */
    public List<String> keyColumns() {
        return keyColumns;
    }

    @Override
    public String toString() {
        return table + " (" + profile + ")";
    }
}
