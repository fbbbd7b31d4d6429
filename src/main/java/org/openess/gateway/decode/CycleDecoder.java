package org.openess.gateway.decode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openess.gateway.plan.ReadRequest;
import org.openess.gateway.plan.RequestPlan;
import org.openess.gateway.profile.PointSpec;
import org.openess.gateway.profile.PointType;
import org.openess.gateway.profile.Profile;
import org.openess.gateway.profile.SqlType;
import org.openess.gateway.profile.TableLayout;
import org.openess.gateway.profile.TableSpec;

/**
 * Entry point of the decoding stage: turns one cycle's {@link RegisterSnapshot} into rows.
 * Per value: raw registers → typed value → scale/offset → range check → 0↔1 inversion → column.
 * A value out of range becomes NULL plus a {@link QualityEvent}; a row that needs a failed read is
 * not written and becomes part of a {@link GapEvent}, while rows whose reads succeeded are kept.
 * Compiled once per profile and plan; {@link #decode} is allocation-light and thread-safe.
 */
public final class CycleDecoder {
    private final List<RowDecoder> rows;
    private final Map<String, TableLayout> layouts;
    private final RequestPlan plan;

    public CycleDecoder(Profile profile, RequestPlan plan, Map<String, TableLayout> layouts) {
        this.layouts = layouts;
        this.plan = plan;
        List<RowDecoder> compiled = new ArrayList<>();
        for (TableSpec table : profile.tables()) {
            TableLayout layout = layouts.get(table.name());
            for (int i = 0; i < table.rowsPerCycle(); i++) {
                compiled.add(compileRow(table, layout, plan, i));
            }
        }
        this.rows = List.copyOf(compiled);
    }

    /** Layouts keyed by table name, built from the profile (for callers that do not share them). */
    public static Map<String, TableLayout> layoutsOf(Profile profile) {
        Map<String, TableLayout> map = new LinkedHashMap<>();
        profile.tables().forEach(t -> map.put(t.name(), TableLayout.of(profile, t)));
        return map;
    }

    public Map<String, TableLayout> layouts() {
        return layouts;
    }

    /** The request plan this decoder was compiled for. */
    public RequestPlan plan() {
        return plan;
    }

    public CycleOutput decode(String device, long tickMillis, RegisterSnapshot snapshot) {
        List<DecodedRow> out = new ArrayList<>(rows.size());
        List<QualityEvent> quality = null;
        Map<String, GapEvent> gaps = null;
        for (RowDecoder row : rows) {
            int failedRead = row.firstFailedRead(snapshot);
            if (failedRead >= 0) {
                if (gaps == null) {
                    gaps = new LinkedHashMap<>();
                }
                GapEvent g = gaps.get(row.layout.table());
                gaps.put(row.layout.table(), new GapEvent(device, tickMillis, row.layout.table(),
                        g == null ? 1 : g.missingRows() + 1,
                        g == null ? row.readName(failedRead) + ": " + snapshot.failure(failedRead) : g.reason()));
                continue;
            }
            DecodedRow decoded = new DecodedRow(row.layout, device, tickMillis);
            for (int c = 0; c < row.fixedColumns.length; c++) {
                decoded.setLong(row.fixedColumns[c], row.fixedValues[c]);
            }
            for (int c : row.nullColumns) {
                decoded.setNull(c);
            }
            for (PointDecoder p : row.points) {
                String rule = p.decodeInto(snapshot, decoded);
                if (rule != null) {
                    if (quality == null) {
                        quality = new ArrayList<>();
                    }
                    int[] words = snapshot.words(p.read);
                    quality.add(new QualityEvent(device, tickMillis, row.layout.table(), row.groupKey, p.column,
                            Arrays.copyOfRange(words, p.offset, p.offset + p.length), p.lastValue(snapshot), rule));
                }
            }
            out.add(decoded);
        }
        return new CycleOutput(device, tickMillis, out, quality == null ? List.of() : quality,
                gaps == null ? List.of() : List.copyOf(gaps.values()));
    }

    private static RowDecoder compileRow(TableSpec table, TableLayout layout, RequestPlan plan, int instance) {
        List<TableLayout.Column> columns = layout.columns();
        int[] fixedColumns = new int[table.constants().size() + (table.isGrouped() ? 1 : 0)];
        long[] fixedValues = new long[fixedColumns.length];
        int k = 0;
        for (Map.Entry<String, Integer> c : table.constants().entrySet()) {
            fixedColumns[k] = indexOf(columns, c.getKey());
            fixedValues[k++] = c.getValue();
        }
        int groupKey = 0;
        if (table.isGrouped()) {
            groupKey = table.group().keyOf(instance);
            fixedColumns[k] = indexOf(columns, table.group().column());
            fixedValues[k] = groupKey;
        }
        PointDecoder[] points = new PointDecoder[table.points().size()];
        for (int i = 0; i < points.length; i++) {
            PointSpec spec = table.points().get(i);
            int address = spec.addressOf(instance);
            int read = plan.readIndexOf(spec.area().function(), address, spec.length());
            int[] pieces = null;
            if (read < 0 && spec.type().isText()) {
                pieces = piecesOf(plan, spec, address);
                read = pieces[0];
            }
            if (read < 0) {
                throw new IllegalStateException("no read covers " + spec.column() + " at " + address + " in plan " + plan);
            }
            ReadRequest r = plan.reads().get(read);
            int sfRead = -1;
            int sfOffset = 0;
            PointSpec.ScaleFactor sf = spec.scaleFactor();
            if (sf != null && !sf.isConstant()) {
                int sfAddress = sf.addressOf(instance);
                sfRead = plan.readIndexOf(spec.area().function(), sfAddress, 1);
                if (sfRead < 0) {
                    throw new IllegalStateException("no read covers the scale factor " + sf.point() + " of " + spec.column() + " at "
                            + sfAddress + " in plan " + plan);
                }
                sfOffset = sfAddress - plan.reads().get(sfRead).start();
            }
            points[i] = new PointDecoder(spec, indexOf(columns, spec.column()), read, address - r.start(), sfRead, sfOffset, pieces);
        }
        // a row needs the reads of its points and of their scale factors
        int[] reads = Arrays.stream(points).flatMapToInt(p -> java.util.stream.IntStream.concat(p.pieces != null
                ? Arrays.stream(p.pieces) : java.util.stream.IntStream.of(p.read),
                p.sfRead >= 0 ? java.util.stream.IntStream.of(p.sfRead) : java.util.stream.IntStream.empty())).distinct().sorted().toArray();
        String[] readNames = new String[plan.reads().size()];
        plan.reads().forEach(r -> readNames[r.index()] = "read " + r);
        // point columns of the layout this table spec does not read (a SunSpec device that serves
        // a shorter model) are NULL in every row
        java.util.Set<String> read = new java.util.HashSet<>();
        table.points().forEach(p -> read.add(p.column()));
        int[] nullColumns = java.util.stream.IntStream.range(0, columns.size())
                .filter(c -> columns.get(c).kind() == TableLayout.ColumnKind.POINT && !read.contains(columns.get(c).name())).toArray();
        return new RowDecoder(layout, groupKey, fixedColumns, fixedValues, points, reads, readNames, nullColumns);
    }

    /** The consecutive reads that hold a text value longer than one read, in address order. */
    private static int[] piecesOf(RequestPlan plan, PointSpec spec, int address) {
        List<Integer> pieces = new ArrayList<>();
        int at = address;
        int end = address + spec.length();
        while (at < end) {
            int read = plan.readIndexOf(spec.area().function(), at, 1);
            if (read < 0) {
                return new int[] { -1 };
            }
            pieces.add(read);
            at = plan.reads().get(read).end() + 1;
        }
        return pieces.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int indexOf(List<TableLayout.Column> columns, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalStateException("column " + name + " missing from layout");
    }

    private record RowDecoder(TableLayout layout, int groupKey, int[] fixedColumns, long[] fixedValues,
            PointDecoder[] points, int[] reads, String[] readNames, int[] nullColumns) {

        int firstFailedRead(RegisterSnapshot snapshot) {
            for (int r : reads) {
                if (!snapshot.ok(r)) {
                    return r;
                }
            }
            return -1;
        }

        String readName(int read) {
            return readNames[read];
        }
    }

    /** One point of one row instance, compiled to array offsets. */
    static final class PointDecoder {
        /** Exact powers of ten for SunSpec scale factors (-10..10 is the range devices use). */
        private static final double[] POW10 = { 1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10 };

        final String column;
        final int columnIndex;
        final int read;
        final int offset;
        final int length;
        final int sfRead;
        /** The reads of a text longer than one read, in order; null for every other value. */
        final int[] pieces;
        private final int sfOffset;
        private final PointType type;
        private final boolean wordsLittle;
        private final boolean swapBytes;
        private final int bit;
        private final double scale;
        private final double divisor;
        private final double offsetValue;
        private final boolean exactInteger;
        private final double min;
        private final double max;
        private final boolean invert;
        private final SqlType sqlType;
        private final String minRule;
        private final String maxRule;
        private final boolean hasAbsent;
        private final long absent;

        PointDecoder(PointSpec spec, int columnIndex, int read, int offset, int sfRead, int sfOffset, int[] pieces) {
            this.pieces = pieces;
            this.column = spec.column();
            this.columnIndex = columnIndex;
            this.read = read;
            this.offset = offset;
            this.length = spec.length();
            this.sfRead = sfRead;
            this.sfOffset = sfOffset;
            this.type = spec.type();
            this.wordsLittle = spec.wordOrder() == org.openess.gateway.profile.Endianness.LITTLE;
            this.swapBytes = spec.byteOrder() == org.openess.gateway.profile.Endianness.LITTLE;
            this.bit = spec.bit();
            PointSpec.ScaleFactor sf = spec.scaleFactor();
            this.scale = sf != null && sf.isConstant() ? Math.pow(10, sf.constant()) : spec.scale();
            // 1234 * 0.1 is 123.40000000000001 but 1234 / 10.0 is 123.4: divide by decimal scales.
            double inverse = 1.0 / scale;
            this.divisor = Math.abs(inverse) > 1 && Math.abs(inverse - Math.rint(inverse)) < 1e-9 ? Math.rint(inverse) : 0;
            this.offsetValue = spec.offset();
            this.exactInteger = !type.isFloat() && !type.isText() && type != PointType.UINT64 && scale == 1.0 && spec.offset() == 0.0
                    && sfRead < 0;
            this.min = spec.min() == null ? Double.NEGATIVE_INFINITY : spec.min();
            this.max = spec.max() == null ? Double.POSITIVE_INFINITY : spec.max();
            this.invert = spec.invert();
            this.sqlType = spec.sqlType();
            this.minRule = "min " + fmt(spec.min());
            this.maxRule = "max " + fmt(spec.max());
            this.hasAbsent = spec.absent() != null;
            this.absent = hasAbsent ? spec.absent() : 0;
        }

        private static String fmt(Double d) {
            if (d == null) {
                return "";
            }
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue()) : d.toString();
        }

        /** Raw integer value of integer types. */
        private long rawLong(int[] w) {
            return switch (type) {
                case BIT -> BitConversions.bit(Conversions16.uint16(w[offset], swapBytes), bit);
                case BOOL -> BitConversions.flag(w[offset]);
                case INT16 -> Conversions16.int16(w[offset], swapBytes);
                case UINT16 -> Conversions16.uint16(w[offset], swapBytes);
                case INT32 -> Conversions32.int32(w, offset, wordsLittle, swapBytes);
                case UINT32 -> Conversions32.uint32(w, offset, wordsLittle, swapBytes);
                case INT64 -> Conversions64.int64(w, offset, wordsLittle, swapBytes);
                default -> throw new IllegalStateException(type + " is not an integer type");
            };
        }

        /** The value's registers as unsigned bits, for comparing with the "not implemented" pattern. */
        private long rawBits(int[] w) {
            return switch (length) {
                case 1 -> Conversions16.uint16(w[offset], swapBytes);
                case 2 -> Conversions32.bits32(w, offset, wordsLittle, swapBytes) & 0xFFFF_FFFFL;
                case 4 -> Conversions64.bits64(w, offset, wordsLittle, swapBytes);
                default -> allZero(w) ? 0 : 1;
            };
        }

        private boolean allZero(int[] w) {
            for (int i = offset; i < offset + length; i++) {
                if (w[i] != 0) {
                    return false;
                }
            }
            return true;
        }

        /** The scale-factor exponent read this cycle; null when the device does not implement it. */
        private Integer exponent(RegisterSnapshot snapshot) {
            int raw = snapshot.words(sfRead)[sfOffset] & 0xFFFF;
            return raw == PointSpec.ScaleFactor.NOT_IMPLEMENTED ? null : (int) (short) raw;
        }

        private static double applyExponent(double raw, int exponent) {
            // 10^sf exactly as decimal scales are applied: divide by 10^-sf rather than multiply by 0.1^..
            return exponent < 0 ? raw / POW10[-exponent] : raw * POW10[exponent];
        }

        private double unscaled(int[] w) {
            return switch (type) {
                case FLOAT32 -> Conversions32.float32(w, offset, wordsLittle, swapBytes);
                case FLOAT64 -> Conversions64.float64(w, offset, wordsLittle, swapBytes);
                case UINT64 -> Conversions64.uint64AsDouble(w, offset, wordsLittle, swapBytes);
                default -> rawLong(w);
            };
        }

        /** Typed value after scale and offset, before inversion (NaN when its scale factor is absent). */
        double lastValue(RegisterSnapshot snapshot) {
            int[] w = snapshot.words(read);
            double raw = unscaled(w);
            if (sfRead >= 0) {
                Integer e = exponent(snapshot);
                return e == null || Math.abs(e) >= POW10.length ? Double.NaN : applyExponent(raw, e);
            }
            return divisor != 0 ? raw / divisor + offsetValue : raw * scale + offsetValue;
        }

        /** Decodes into the row; returns the broken rule (value set NULL) or null when stored. */
        String decodeInto(RegisterSnapshot snapshot, DecodedRow row) {
            if (pieces != null) {
                setText(row, TextConversions.text(type, joined(snapshot), 0, length));
                return null;
            }
            int[] w = snapshot.words(read);
            if (hasAbsent && rawBits(w) == absent) {
                // "not implemented" is the device saying there is no value: NULL, not a bad value
                row.setNull(columnIndex);
                return null;
            }
            if (type.isText()) {
                setText(row, TextConversions.text(type, w, offset, length));
                return null;
            }
            if (exactInteger) {
                long v = rawLong(w);
                if (v < min) {
                    row.setNull(columnIndex);
                    return minRule;
                }
                if (v > max) {
                    row.setNull(columnIndex);
                    return maxRule;
                }
                if (invert) {
                    v = BitConversions.invert01(v);
                }
                return store(row, v, v);
            }
            double d;
            if (sfRead >= 0) {
                Integer e = exponent(snapshot);
                if (e == null) {
                    row.setNull(columnIndex);
                    return null;
                }
                if (Math.abs(e) >= POW10.length) {
                    row.setNull(columnIndex);
                    return "scale factor " + e;
                }
                double raw = unscaled(w);
                if (hasAbsent && type.isFloat() && Double.isNaN(raw)) {
                    row.setNull(columnIndex);
                    return null;
                }
                d = applyExponent(raw, e);
            } else {
                d = lastValue(snapshot);
                if (hasAbsent && type.isFloat() && Double.isNaN(d)) {
                    row.setNull(columnIndex);
                    return null;
                }
            }
            if (!Double.isFinite(d)) {
                row.setNull(columnIndex);
                return "not finite";
            }
            if (d < min) {
                row.setNull(columnIndex);
                return minRule;
            }
            if (d > max) {
                row.setNull(columnIndex);
                return maxRule;
            }
            if (invert && (d == 0.0 || d == 1.0)) {
                d = 1.0 - d;
            }
            long asLong = (long) d;
            return store(row, asLong, d);
        }

        private void setText(DecodedRow row, String text) {
            if (text == null) {
                row.setNull(columnIndex);
            } else {
                row.setText(columnIndex, text);
            }
        }

        /** The registers of a text spread over several reads, joined. */
        private int[] joined(RegisterSnapshot snapshot) {
            int[] out = new int[length];
            int n = 0;
            for (int i = 0; i < pieces.length; i++) {
                int[] w = snapshot.words(pieces[i]);
                int from = i == 0 ? offset : 0;
                int take = Math.min(w.length - from, length - n);
                System.arraycopy(w, from, out, n, take);
                n += take;
            }
            return out;
        }

        private String store(DecodedRow row, long asLong, double asDouble) {
            switch (sqlType) {
                case FLOAT8 -> row.setDouble(columnIndex, asDouble);
                case INT4 -> {
                    if (asLong < Integer.MIN_VALUE || asLong > Integer.MAX_VALUE || asLong != asDouble) {
                        row.setNull(columnIndex);
                        return "int4 range";
                    }
                    row.setLong(columnIndex, asLong);
                }
                case INT8 -> {
                    if (!exactInteger && (asDouble >= 0x1p63 || asDouble < -0x1p63 || asLong != asDouble)) {
                        row.setNull(columnIndex);
                        return "int8 range";
                    }
                    row.setLong(columnIndex, asLong);
                }
                case BOOL -> row.setLong(columnIndex, asLong != 0 ? 1 : 0);
                case TEXT -> throw new IllegalStateException(column + ": a number cannot go to a text column");
            }
            return null;
        }
    }
}
