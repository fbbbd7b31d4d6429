package org.openess.gateway.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An independent reading of the reference register map (the CSV, not our YAML profile or our
 * decoder): what each operation1 column must hold for given register values. Used to check
 * stored rows end to end.
 */
public final class Operation1Oracle {
    /** One line of the reference CSV. */
    public record Point(int address, String table, String column, String sqlType, Integer rack, String type, double scale,
            Double min, Double max, boolean invert) {
    }

    private final List<Point> points;

    private Operation1Oracle(List<Point> points) {
        this.points = points;
    }

    public static Operation1Oracle load() {
        try (InputStream in = Operation1Oracle.class.getResourceAsStream("/reference/operation1-register-map.csv");
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<Point> points = new ArrayList<>();
            String header = r.readLine();
            if (!header.startsWith("address,table,column")) {
                throw new IllegalStateException("unexpected CSV header " + header);
            }
            for (String line; (line = r.readLine()) != null;) {
                String[] f = line.split(",", -1);
                points.add(new Point(Integer.parseInt(f[0]), f[1], f[2], f[3], f[4].isEmpty() ? null : Integer.valueOf(f[4]), f[5],
                        Double.parseDouble(f[6]), f[7].isEmpty() ? null : Double.valueOf(f[7]),
                        f[8].isEmpty() ? null : Double.valueOf(f[8]), f[9].equals("yes")));
            }
            return new Operation1Oracle(List.copyOf(points));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<Point> points() {
        return points;
    }

    /** Register addresses the row (table, rack or null) needs. */
    public List<Integer> addresses(String table, Integer rack) {
        return points.stream().filter(p -> p.table.equals(table) && java.util.Objects.equals(p.rack, rack)).map(Point::address)
                .toList();
    }

    /**
     * Expected column values (Double for float8, Integer for int4, null for out of range) of one row,
     * given the input registers by address.
     */
    public Map<String, Object> expectedRow(String table, Integer rack, Map<Integer, Integer> registers) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (Point p : points) {
            if (!p.table.equals(table) || !java.util.Objects.equals(p.rack, rack)) {
                continue;
            }
            Integer word = registers.get(p.address);
            if (word == null) {
                throw new IllegalArgumentException("register " + p.address + " was not served");
            }
            long raw = p.type.equals("int16") ? (short) (int) word : word;
            double value = raw * p.scale;
            Object expected;
            if ((p.min != null && value < p.min - 1e-9) || (p.max != null && value > p.max + 1e-9)) {
                expected = null;
            } else {
                if (p.invert && (value == 0 || value == 1)) {
                    value = 1 - value;
                }
                expected = p.sqlType.equals("int4") ? Integer.valueOf((int) Math.round(value)) : Double.valueOf(value);
            }
            row.put(p.column, expected);
        }
        return row;
    }
}
