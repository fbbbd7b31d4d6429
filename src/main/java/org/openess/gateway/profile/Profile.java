package org.openess.gateway.profile;

import java.util.List;
import java.util.Map;

/**
 * A validated register map for one device type. {@code source} names where it came from (a file
 * path or {@code builtin:<name>}) so that every later error can point at it. {@code units}: table →
 * column → unit, only for points that declare one. {@code protection} and {@code overview} are
 * the optional sections as written (checked against the tables; the alarm and status-page code
 * apply their defaults).
 */
public record Profile(String name, String source, List<Area> areas, List<TableSpec> tables, Map<String, Map<String, String>> units,
        ProtectionSection protection, OverviewSection overview) {

    public Profile(String name, String source, List<Area> areas, List<TableSpec> tables) {
        this(name, source, areas, tables, Map.of(), ProtectionSection.none(), new OverviewSection(null, null, null, null, null, null, null));
    }

    public int pointCount() {
        return tables.stream().mapToInt(t -> t.points().size() * t.rowsPerCycle()).sum();
    }

    public int rowsPerCycle() {
        return tables.stream().mapToInt(TableSpec::rowsPerCycle).sum();
    }

    /** Rows per cycle per table name, in table order (several specs may share a name). */
    public java.util.Map<String, Integer> rowsPerCycleByTable() {
        java.util.Map<String, Integer> rows = new java.util.LinkedHashMap<>();
        tables.forEach(t -> rows.merge(t.name(), t.rowsPerCycle(), Integer::sum));
        return rows;
    }

    public TableSpec table(String name) {
        return tables.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
    }

    /** The unit of a column, or null when the profile does not declare one. */
    public String unit(String table, String column) {
        Map<String, String> t = units.get(table);
        return t == null ? null : t.get(column);
    }

    /** True when the table exists and has a point column of that name. */
    public boolean hasPoint(String table, String column) {
        TableSpec t = table(table);
        return t != null && t.points().stream().anyMatch(p -> p.column().equals(column));
    }
}
