package org.openess.gateway.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openess.gateway.decode.CycleDecoder;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.decode.DecodedRow;
import org.openess.gateway.decode.QualityEvent;
import org.openess.gateway.decode.RegisterSnapshot;
import org.openess.gateway.plan.PlanLimits;
import org.openess.gateway.plan.ReadRequest;
import org.openess.gateway.plan.RequestPlan;
import org.openess.gateway.plan.RequestPlanner;
import org.openess.gateway.testsupport.UnitTest;

/**
 * The built-in {@code operation1} profile against the reference register map CSV (the fact source):
 * expanded over the 8 racks it must hold the CSV's 496 points exactly, with the CSV's column order,
 * and decode registers the way the CSV describes.
 */
@UnitTest
class Operation1ProfileTest {
    private static final String CSV = "/reference/operation1-register-map.csv";

    /** One line of the CSV, or one expanded point of the profile, in the CSV's terms. */
    record Point(int address, String table, String column, String sqlType, Integer rack, String type, double scale, Double min,
            Double max, boolean invert) {
        @Override
        public String toString() {
            return address + "," + table + "," + column + "," + sqlType + "," + (rack == null ? "" : rack) + "," + type + ","
                    + scale + "," + min + "," + max + "," + (invert ? "yes" : "");
        }
    }

    private static List<Point> csv;
    private static Profile profile;

    @BeforeAll
    static void load() throws IOException {
        csv = readCsv();
        profile = ProfileLoader.load("operation1");
    }

    private static List<Point> readCsv() throws IOException {
        try (InputStream in = Operation1ProfileTest.class.getResourceAsStream(CSV)) {
            assertNotNull(in, CSV + " on the test classpath");
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            assertEquals("address,table,column,sql_type,rack,type,scale,min,max,invert", lines.get(0));
            List<Point> points = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",", -1);
                assertEquals(10, f.length, line);
                points.add(new Point(Integer.parseInt(f[0]), f[1], f[2], f[3], f[4].isEmpty() ? null : Integer.valueOf(f[4]), f[5],
                        Double.parseDouble(f[6]), f[7].isEmpty() ? null : Double.valueOf(f[7]),
                        f[8].isEmpty() ? null : Double.valueOf(f[8]), f[9].equals("yes")));
            }
            return points;
        }
    }

    /** The profile expanded over group instances, in the CSV's terms. */
    private static List<Point> expanded() {
        List<Point> out = new ArrayList<>();
        for (TableSpec t : profile.tables()) {
            for (int i = 0; i < t.rowsPerCycle(); i++) {
                Integer rack = t.isGrouped() ? t.group().keyOf(i) : null;
                for (PointSpec p : t.points()) {
                    out.add(new Point(p.addressOf(i), t.name(), p.column(), p.sqlType().sql(), rack, p.type().yamlName(), p.scale(),
                            p.min(), p.max(), p.invert()));
                }
            }
        }
        return out;
    }

    @Test
    void referenceHas496Points() {
        assertEquals(496, csv.size());
        assertEquals(496, profile.pointCount());
    }

    @Test
    void expandedProfileEqualsTheCsvPointForPoint() {
        List<String> expected = csv.stream().sorted(Comparator.comparingInt(Point::address)).map(Point::toString).toList();
        List<String> actual = expanded().stream().sorted(Comparator.comparingInt(Point::address)).map(Point::toString).toList();
        assertEquals(String.join("\n", expected), String.join("\n", actual));
    }

    @Test
    void everyPointIsAnInputRegisterWithDefaultOrderAndNoOffset() {
        for (TableSpec t : profile.tables()) {
            for (PointSpec p : t.points()) {
                assertEquals(FunctionCode.INPUT_REGISTERS, p.area().function(), p.column());
                assertEquals(Endianness.BIG, p.wordOrder(), p.column());
                assertEquals(Endianness.BIG, p.byteOrder(), p.column());
                assertEquals(0.0, p.offset(), p.column());
            }
        }
    }

    @Test
    void tablesAndColumnOrderFollowTheCsv() {
        Map<String, LinkedHashSet<String>> csvColumns = new LinkedHashMap<>();
        csv.forEach(p -> csvColumns.computeIfAbsent(p.table(), k -> new LinkedHashSet<>()).add(p.column()));
        assertEquals(List.of("bank", "rack", "pcs", "etc"), List.copyOf(csvColumns.keySet()));
        assertEquals(List.copyOf(csvColumns.keySet()), profile.tables().stream().map(TableSpec::name).toList());
        for (TableSpec t : profile.tables()) {
            TableLayout layout = TableLayout.of(profile, t);
            List<String> expected = new ArrayList<>();
            expected.add("BANK_ID");
            if (t.name().equals("rack")) {
                expected.add("RACK_ID");
            }
            expected.addAll(csvColumns.get(t.name()));
            assertEquals(expected, layout.columns().stream().map(TableLayout.Column::name).toList(), t.name());
            assertEquals(SqlType.INT4, layout.columns().get(0).type());
            List<String> keys = new ArrayList<>(List.of("SITE_ID", "TIMESTAMP", "BANK_ID"));
            if (t.name().equals("rack")) {
                keys.add("RACK_ID");
            }
            assertEquals(keys, layout.keyColumns(), t.name());
        }
    }

    @Test
    void elevenRowsPerPoll() {
        assertEquals(11, profile.rowsPerCycle());
        assertEquals(Map.of("bank", 1, "rack", 8, "pcs", 1, "etc", 1),
                Map.of("bank", profile.table("bank").rowsPerCycle(), "rack", profile.table("rack").rowsPerCycle(), "pcs",
                        profile.table("pcs").rowsPerCycle(), "etc", profile.table("etc").rowsPerCycle()));
        GroupSpec racks = profile.table("rack").group();
        assertEquals("RACK_ID", racks.column());
        assertEquals(1, racks.keyOf(0));
        assertEquals(8, racks.keyOf(7));
    }

    @Test
    void areasAreTheOriginalReadBlocks() {
        assertEquals(List.of("'BMS1' (input-registers 0..136)", "'BMS2' (input-registers 200..465)",
                "'PCS' (input-registers 500..588)", "'ETC' (input-registers 600..604)"),
                profile.areas().stream().map(Area::toString).toList());
    }

    /**
     * Decodes random registers (biased to flag values and range edges) and compares every cell
     * with what the CSV says: raw as int16 or uint16, times scale, NULL outside min/max, 0↔1
     * swapped for inverted flags.
     */
    @Test
    void decodesEveryColumnAsTheCsvDescribes() {
        RequestPlan plan = RequestPlanner.plan(profile, PlanLimits.DEFAULT);
        CycleDecoder decoder = new CycleDecoder(profile, plan, CycleDecoder.layoutsOf(profile));
        Random random = new Random(20261127L);
        for (int round = 0; round < 50; round++) {
            Map<Integer, Integer> registers = new HashMap<>();
            RegisterSnapshot snapshot = new RegisterSnapshot(plan);
            for (ReadRequest r : plan.reads()) {
                int[] words = new int[r.count()];
                for (int i = 0; i < words.length; i++) {
                    words[i] = switch (random.nextInt(6)) {
                        case 0 -> random.nextInt(5);
                        case 1 -> 0xFFFF - random.nextInt(3);
                        case 2 -> 0x7FFF + random.nextInt(3);
                        default -> random.nextInt(0x10000);
                    };
                    registers.put(r.start() + i, words[i]);
                }
                snapshot.succeeded(r.index(), words);
            }
            CycleOutput out = decoder.decode("op1", 0L, snapshot);
            assertEquals(11, out.rows().size());
            assertTrue(out.gaps().isEmpty());
            int nulls = 0;
            for (DecodedRow row : out.rows()) {
                String table = row.layout().table();
                Integer rack = table.equals("rack") ? (Integer) row.value("RACK_ID") : null;
                assertEquals(1, row.value("BANK_ID"));
                for (Point p : csv) {
                    if (!p.table().equals(table) || !Objects.equals(p.rack(), rack)) {
                        continue;
                    }
                    int word = registers.get(p.address());
                    long raw = p.type().equals("int16") ? (short) word : word;
                    double value = raw * p.scale();
                    Object actual = row.value(p.column());
                    String where = table + (rack == null ? "" : "[" + rack + "]") + " " + p.column() + " raw " + word;
                    boolean outOfRange = (p.min() != null && value < p.min() - 1e-9) || (p.max() != null && value > p.max() + 1e-9);
                    if (outOfRange) {
                        assertNull(actual, where);
                        nulls++;
                        continue;
                    }
                    if (p.invert() && (value == 0 || value == 1)) {
                        value = 1 - value;
                    }
                    if (p.sqlType().equals("int4")) {
                        assertEquals(Integer.valueOf((int) Math.round(value)), actual, where);
                    } else {
                        // exactly: decimal scales are divided, so raw 1231 with scale 0.1 is 123.1, not 123.10000000000001
                        double exact = p.scale() < 1 ? raw / Math.rint(1 / p.scale()) : raw * p.scale();
                        if (p.invert() && (exact == 0 || exact == 1)) {
                            exact = 1 - exact;
                        }
                        assertEquals(exact, (Double) actual, 0.0, where);
                    }
                }
            }
            assertEquals(nulls, out.quality().size(), "one quality event per NULL");
            for (QualityEvent q : out.quality()) {
                assertEquals("op1", q.device());
                assertEquals(1, q.raw().length);
                assertFalse(q.rule().isEmpty());
            }
        }
    }
}
