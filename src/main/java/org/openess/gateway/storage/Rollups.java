package org.openess.gateway.storage;

import static org.openess.gateway.profile.StoredColumns.TIMESTAMP;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.openess.gateway.config.TimescaleSettings.Rollup;
import org.openess.gateway.profile.SqlType;

/**
 * The rollup of a profile table at one bucket width: {@code "TIMESTAMP"} (the bucket's start), the
 * device column and the table's other key columns (constants, group index), {@code samples} (rows in
 * the bucket), then {@code <column>_min}, {@code _max} and {@code _avg} for every numeric column.
 * The same SELECT is a continuous aggregate on the community edition and, on the Apache edition,
 * what the gateway materializes into its rollup tables ({@link RollupTables}) and aggregates live
 * above their watermark, so queries and dashboards read both alike.
 */
public final class Rollups {
    /** PostgreSQL's identifier limit (NAMEDATALEN - 1), in bytes. */
    static final int MAX_IDENTIFIER = 63;
    /** Columns a table may have; a rollup wider than that is not created. */
    static final int MAX_COLUMNS = 1600;
    public static final String SAMPLES = "samples";

    private Rollups() {
    }

    /** The rollup's name for {@code table}, shortened with a hash when it would pass 63 bytes. */
    public static String view(String table, Rollup rollup) {
        return fit(rollup.viewOf(table));
    }

    /** The rollup column of {@code column} for {@code fn} ({@code min}, {@code max}, {@code avg}). */
    public static String column(String column, String fn) {
        return fit(column + "_" + fn);
    }

    /** A name PostgreSQL keeps as given: longer ones are cut and end in 8 hex digits of their hash, so two never meet. */
    static String fit(String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        if (b.length <= MAX_IDENTIFIER) {
            return name;
        }
        String hash = String.format("%08x", name.hashCode());
        StringBuilder cut = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            String next = cut.toString() + name.charAt(i);
            if (next.getBytes(StandardCharsets.UTF_8).length > MAX_IDENTIFIER - 9) {
                break;
            }
            cut.append(name.charAt(i));
        }
        return cut + "_" + hash;
    }

    /** Value columns that are rolled up: numbers that are not part of the key. */
    static List<String> numericColumns(Map<String, SqlType> columns, List<String> key) {
        List<String> out = new ArrayList<>();
        columns.forEach((name, type) -> {
            if (!key.contains(name) && (type == SqlType.FLOAT8 || type == SqlType.INT4 || type == SqlType.INT8)) {
                out.add(name);
            }
        });
        return out;
    }

    /** True when the rollup has room for every column (3 per numeric column besides the key and samples). */
    static boolean fits(Map<String, SqlType> columns, List<String> key) {
        return key.size() + 1 + 3 * numericColumns(columns, key).size() <= MAX_COLUMNS;
    }

    /** The rollup's SELECT; {@code key} is the table's unique key ("SITE_ID", "TIMESTAMP", constants, group index). */
    static String select(String table, Map<String, SqlType> columns, List<String> key, Rollup rollup) {
        return select(table, columns, key, rollup, null);
    }

    /** The rollup's column names in the SELECT's order: the bucket, the key columns, samples, then min, max, avg per column. */
    static List<String> columnNames(Map<String, SqlType> columns, List<String> key) {
        List<String> out = new ArrayList<>();
        out.add(TIMESTAMP);
        key.stream().filter(k -> !k.equals(TIMESTAMP)).forEach(out::add);
        out.add(SAMPLES);
        for (String c : numericColumns(columns, key)) {
            out.add(column(c, "min"));
            out.add(column(c, "max"));
            out.add(column(c, "avg"));
        }
        return out;
    }

    /** The same SELECT over the raw rows that satisfy {@code where} (SQL on the raw table's columns; null: every row). */
    static String select(String table, Map<String, SqlType> columns, List<String> key, Rollup rollup, String where) {
        String bucket = "time_bucket(INTERVAL '" + rollup.bucket().toSeconds() + " seconds', " + Sql.quote(TIMESTAMP) + ")";
        List<String> groups = key.stream().filter(k -> !k.equals(TIMESTAMP)).map(Sql::quote).toList();
        StringBuilder sql = new StringBuilder("SELECT ").append(bucket).append(" AS ").append(Sql.quote(TIMESTAMP));
        groups.forEach(g -> sql.append(", ").append(g));
        sql.append(", count(*) AS ").append(SAMPLES);
        for (String c : numericColumns(columns, key)) {
            String q = Sql.quote(c);
            sql.append(", min(").append(q).append(") AS ").append(Sql.quote(column(c, "min")));
            sql.append(", max(").append(q).append(") AS ").append(Sql.quote(column(c, "max")));
            sql.append(", avg(").append(q).append(")::float8 AS ").append(Sql.quote(column(c, "avg")));
        }
        sql.append(" FROM ").append(Sql.quote(table));
        if (where != null) {
            sql.append(" WHERE ").append(where);
        }
        sql.append(" GROUP BY ").append(bucket);
        groups.forEach(g -> sql.append(", ").append(g));
        return sql.toString();
    }
}
