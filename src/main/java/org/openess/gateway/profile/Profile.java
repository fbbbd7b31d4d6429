package org.openess.gateway.profile;

import java.util.List;

/**
 * A validated register map for one device type. {@code source} names where it came from (a file
 * path or {@code builtin:<name>}) so that every later error can point at it.
 */
public record Profile(String name, String source, List<Area> areas, List<TableSpec> tables) {

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
}
