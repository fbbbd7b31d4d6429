package org.openess.gateway.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.openess.gateway.decode.CycleDecoder;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.decode.DecodedRow;
import org.openess.gateway.decode.RegisterSnapshot;
import org.openess.gateway.plan.PlanLimits;
import org.openess.gateway.plan.ReadRequest;
import org.openess.gateway.plan.RequestPlan;
import org.openess.gateway.plan.RequestPlanner;
import org.openess.gateway.profile.Area;
import org.openess.gateway.profile.PointSpec;
import org.openess.gateway.profile.PointType;
import org.openess.gateway.profile.Profile;
import org.openess.gateway.profile.ProfileLoader;
import org.openess.gateway.profile.TableSpec;
import org.openess.gateway.testsupport.UnitTest;

/**
 * Property: for random values and every type, word order, byte order, scale/offset and inversion,
 * {@link RegisterEncoder#encode} followed by {@link CycleDecoder#decode} gives back the value
 * (exactly for integers and float64, to float precision for float32), the encoder returns the raw
 * integer it wrote, and it touches no register (or bit) outside the point.
 */
@UnitTest
class RegisterEncoderRoundTripTest {
    private static final int VALUES = 400;
    private static final int SENTINEL = 0xA5A5;

    /** One point configuration. {@code area} is the function of its area. */
    record Config(String type, String area, String wordOrder, String byteOrder, double scale, double offset, boolean invert) {
        String name() {
            return type + " in " + area + (wordOrder == null ? "" : " words " + wordOrder)
                    + (byteOrder == null ? "" : " bytes " + byteOrder) + (scale == 1 ? "" : " scale " + scale)
                    + (offset == 0 ? "" : " offset " + offset) + (invert ? " inverted" : "");
        }

        boolean bitArea() {
            return area.equals("coils") || area.equals("discrete-inputs");
        }

        int registers() {
            return switch (type) {
                case "int32", "uint32", "float32" -> 2;
                case "int64", "uint64", "float64" -> 4;
                default -> 1;
            };
        }

        String yaml() {
            StringBuilder p = new StringBuilder("{column: V, address: 1, type: " + type);
            if (type.equals("bit")) {
                p.append(", bit: 5");
            }
            if (wordOrder != null) {
                p.append(", word-order: ").append(wordOrder);
            }
            if (byteOrder != null) {
                p.append(", byte-order: ").append(byteOrder);
            }
            if (scale != 1) {
                p.append(", scale: ").append(scale);
            }
            if (offset != 0) {
                p.append(", offset: ").append(offset);
            }
            if (invert) {
                p.append(", invert: true");
            }
            p.append('}');
            String other = type.equals("bit") ? "\n      - {column: OTHER, address: 1, type: bit, bit: 12"
                    + (byteOrder == null ? "" : ", byte-order: " + byteOrder) + "}" : "";
            return "name: round-trip\nareas:\n  - {name: A, function: " + area + ", start: 0, count: 6}\n"
                    + "tables:\n  - name: t\n    points:\n      - " + p + other + "\n";
        }
    }

    static List<Config> configs() {
        List<Config> out = new ArrayList<>();
        String[] orders = { "big", "little" };
        for (String bytes : orders) {
            for (boolean invert : new boolean[] { false, true }) {
                out.add(new Config("bit", "holding-registers", null, bytes, 1, 0, invert));
                out.add(new Config("bool", "holding-registers", null, bytes, 1, 0, invert));
            }
        }
        for (String area : new String[] { "coils", "discrete-inputs" }) {
            out.add(new Config("bool", area, null, null, 1, 0, false));
            out.add(new Config("bool", area, null, null, 1, 0, true));
        }
        for (String type : new String[] { "int16", "uint16" }) {
            for (String bytes : orders) {
                out.add(new Config(type, "input-registers", null, bytes, 1, 0, false));
                out.add(new Config(type, "input-registers", null, bytes, 1, 0, true));
                out.add(new Config(type, "input-registers", null, bytes, 0.1, 0, false));
                out.add(new Config(type, "input-registers", null, bytes, 0.01, -40, false));
                out.add(new Config(type, "input-registers", null, bytes, 10, 0, false));
                out.add(new Config(type, "input-registers", null, bytes, -0.5, 3, false));
            }
        }
        for (String type : new String[] { "int32", "uint32", "int64", "uint64" }) {
            for (String words : orders) {
                for (String bytes : orders) {
                    out.add(new Config(type, "holding-registers", words, bytes, 1, 0, false));
                    out.add(new Config(type, "holding-registers", words, bytes, 0.001, 0, false));
                    out.add(new Config(type, "holding-registers", words, bytes, 0.1, 1000, false));
                    if (type.endsWith("32")) {
                        out.add(new Config(type, "holding-registers", words, bytes, 10, 0, false));
                    }
                }
            }
        }
        out.add(new Config("int32", "holding-registers", null, null, 1, 0, true));
        out.add(new Config("uint32", "holding-registers", null, null, 1, 0, true));
        for (String type : new String[] { "float32", "float64" }) {
            for (String words : orders) {
                for (String bytes : orders) {
                    out.add(new Config(type, "input-registers", words, bytes, 1, 0, false));
                    out.add(new Config(type, "input-registers", words, bytes, 0.5, 10, false));
                    out.add(new Config(type, "input-registers", words, bytes, 0.1, -273.15, false));
                }
            }
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> encodeThenDecodeGivesBackTheValue() {
        List<Config> configs = configs();
        assertTrue(configs.size() > 100);
        return configs.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> roundTrip(c)));
    }

    private static void roundTrip(Config c) {
        Profile profile = ProfileLoader.parse("round-trip " + c.name(), c.yaml().getBytes(StandardCharsets.UTF_8));
        TableSpec table = profile.tables().get(0);
        PointSpec point = table.points().get(0);
        PointSpec other = table.points().size() > 1 ? table.points().get(1) : null;
        Area area = profile.areas().get(0);
        RequestPlan plan = RequestPlanner.plan(profile, PlanLimits.DEFAULT);
        CycleDecoder decoder = new CycleDecoder(profile, plan, CycleDecoder.layoutsOf(profile));
        int length = c.bitArea() ? 1 : c.registers();
        int sentinel = c.bitArea() ? 1 : SENTINEL;

        Random random = new Random(c.name().hashCode());
        Values values = values(c, random);
        for (int n = 0; n < VALUES; n++) {
            Sample s = values.next();
            int[] image = new int[area.count()];
            java.util.Arrays.fill(image, sentinel);
            int otherBit = random.nextInt(2);
            if (other != null) {
                RegisterEncoder.encode(other, otherBit, image, other.address() - area.start());
            }
            long raw = RegisterEncoder.encode(point, s.value, image, point.address() - area.start());
            String what = c.name() + ": value " + s.value;
            if (s.raw != null) {
                assertEquals(s.raw.longValue(), raw, what + " raw written");
            }
            for (int a = 0; a < image.length; a++) {
                if (a < 1 || a >= 1 + length) {
                    assertEquals(sentinel, image[a], what + " changed address " + a + " outside the point");
                }
            }

            RegisterSnapshot snapshot = new RegisterSnapshot(plan);
            for (ReadRequest r : plan.reads()) {
                int from = r.start() - area.start();
                snapshot.succeeded(r.index(), java.util.Arrays.copyOfRange(image, from, from + r.count()));
            }
            CycleOutput out = decoder.decode("rt", 0L, snapshot);
            assertEquals(List.of(), out.quality(), what);
            DecodedRow row = out.rows().get(0);
            Object decoded = row.value("V");
            assertNotNull(decoded, what);
            double d = asDouble(decoded);
            if (s.tolerance == 0) {
                assertEquals(s.expected, d, what);
            } else {
                assertEquals(s.expected, d, s.tolerance, what);
            }
            if (other != null) {
                assertEquals(otherBit == 1, row.value("OTHER"), what + ": the register's other bit is kept");
            }
        }
    }

    private static double asDouble(Object v) {
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        return ((Number) v).doubleValue();
    }

    /** A value to encode, the raw integer the encoder must write (null: not checked) and what decoding must give. */
    record Sample(double value, Long raw, double expected, double tolerance) {
    }

    interface Values {
        Sample next();
    }

    private static Values values(Config c, Random random) {
        double scale = c.scale();
        double offset = c.offset();
        switch (c.type()) {
            case "bit", "bool" -> {
                return () -> {
                    double v = random.nextInt(2);
                    return new Sample(v, null, v, 0);
                };
            }
            case "float32" -> {
                return () -> {
                    double v = random.nextInt(10) == 0 ? 0 : (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(12) - 3);
                    float f = (float) ((v - offset) / scale);
                    // float precision of the raw value, carried through scale and offset
                    double tolerance = Math.ulp(f) * Math.abs(scale) + Math.ulp(v) * 4;
                    return new Sample(v, null, v, tolerance);
                };
            }
            case "float64" -> {
                return () -> {
                    double v = random.nextInt(10) == 0 ? 0 : (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(30) - 10);
                    double tolerance = scale == 1 && offset == 0 ? 0 : (Math.abs(v) + Math.abs(offset)) * 1e-15;
                    return new Sample(v, null, v, tolerance);
                };
            }
            default -> {
                long min;
                long max;
                switch (c.type()) {
                    case "int16" -> { min = Short.MIN_VALUE; max = Short.MAX_VALUE; }
                    case "uint16" -> { min = 0; max = 0xFFFF; }
                    case "int32" -> { min = Integer.MIN_VALUE; max = Integer.MAX_VALUE; }
                    case "uint32" -> { min = 0; max = 0xFFFF_FFFFL; }
                    case "int64" -> { min = Long.MIN_VALUE; max = Long.MAX_VALUE; }
                    case "uint64" -> { min = 0; max = -1; }
                    default -> throw new IllegalArgumentException(c.type());
                }
                if (c.invert()) {
                    // flags: 0 and 1 swap, 2 and 3 stay
                    return () -> {
                        long r = random.nextInt(4);
                        return new Sample(r, null, r, 0);
                    };
                }
                if (c.type().equals("uint64")) {
                    return uint64Values(random, scale, offset);
                }
                boolean wide = c.type().equals("int64");
                return () -> {
                    long r = switch (random.nextInt(8)) {
                        case 0 -> min;
                        case 1 -> max;
                        case 2 -> 0;
                        case 3 -> min < 0 ? -1 : 1;
                        default -> wide ? random.nextLong() : random.nextLong(min, max + 1);
                    };
                    if (wide && (scale != 1 || offset != 0)) {
                        // a double carries 53 bits: scaled 64-bit values are checked where they are exact
                        r = r >> 20;
                    }
                    double v = r * scale + offset;
                    if (wide && scale == 1 && offset == 0) {
                        // the encoder takes a double: the value is r as the nearest double
                        return new Sample(v, null, v, 0);
                    }
                    return new Sample(v, r, v, (Math.abs(v) + Math.abs(offset)) * 1e-15);
                };
            }
        }
    }

    /** Unsigned 64-bit values over the whole range, including above 2^63. */
    private static Values uint64Values(Random random, double scale, double offset) {
        return () -> {
            long bits = switch (random.nextInt(6)) {
                case 0 -> 0;
                case 1 -> -1L;
                case 2 -> Long.MIN_VALUE;
                default -> random.nextLong() >>> random.nextInt(20);
            };
            if (scale == 1 && offset == 0) {
                double v = new java.math.BigInteger(Long.toUnsignedString(bits)).doubleValue();
                return new Sample(v, null, v, 0);
            }
            long r = bits >>> 20;
            double v = r * scale + offset;
            return new Sample(v, r, v, (Math.abs(v) + Math.abs(offset)) * 1e-15);
        };
    }

    @Test
    void encodesOperation1AndDecodesTheSameValues() {
        Profile profile = ProfileLoader.load("operation1");
        RequestPlan plan = RequestPlanner.plan(profile, PlanLimits.DEFAULT);
        CycleDecoder decoder = new CycleDecoder(profile, plan, CycleDecoder.layoutsOf(profile));
        Random random = new Random(1);
        int[][] images = new int[profile.areas().size()][];
        for (int i = 0; i < images.length; i++) {
            images[i] = new int[profile.areas().get(i).count()];
        }
        List<double[]> expected = new ArrayList<>();
        for (TableSpec t : profile.tables()) {
            for (int i = 0; i < t.rowsPerCycle(); i++) {
                double[] row = new double[t.points().size()];
                for (int k = 0; k < row.length; k++) {
                    PointSpec p = t.points().get(k);
                    long lo = p.type() == PointType.INT16 ? Short.MIN_VALUE : 0;
                    long hi = p.type() == PointType.INT16 ? Short.MAX_VALUE : 0xFFFF;
                    if (p.min() != null) {
                        lo = Math.max(lo, (long) Math.ceil(p.min() / p.scale() - 1e-9));
                    }
                    if (p.max() != null) {
                        hi = Math.min(hi, (long) Math.floor(p.max() / p.scale() + 1e-9));
                    }
                    long raw = random.nextLong(lo, hi + 1);
                    double value = raw * p.scale();
                    int a = profile.areas().indexOf(p.area());
                    RegisterEncoder.encode(p, value, images[a], p.addressOf(i) - p.area().start());
                    row[k] = value;
                }
                expected.add(row);
            }
        }
        RegisterSnapshot snapshot = new RegisterSnapshot(plan);
        for (ReadRequest r : plan.reads()) {
            int a = profile.areas().indexOf(r.area());
            int from = r.start() - r.area().start();
            snapshot.succeeded(r.index(), java.util.Arrays.copyOfRange(images[a], from, from + r.count()));
        }
        CycleOutput out = decoder.decode("op1", 0L, snapshot);
        assertEquals(List.of(), out.quality());
        assertEquals(11, out.rows().size());
        for (int n = 0; n < out.rows().size(); n++) {
            DecodedRow row = out.rows().get(n);
            TableSpec t = profile.table(row.layout().table());
            for (int k = 0; k < t.points().size(); k++) {
                String column = t.points().get(k).column();
                double want = expected.get(n)[k];
                assertEquals(want, asDouble(row.value(column)), Math.abs(want) * 1e-12, row.layout().table() + " " + column);
            }
        }
    }
}
