package org.openess.gateway.storage.spool;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.openess.gateway.decode.Alarm;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.decode.DecodedRow;
import org.openess.gateway.decode.GapEvent;
import org.openess.gateway.decode.QualityEvent;
import org.openess.gateway.profile.SqlType;
import org.openess.gateway.profile.TableLayout;

/**
 * One cycle as a record payload. Rows are grouped by layout, named by profile and table (not by
 * position in the configuration, which may change between runs) with their width and a byte per
 * column ('F' float8, 'V' integer); each row is its null bitmap, then float8 cells as their 8-byte
 * bits and integer/flag cells as zigzag varints (most are 0 or 1: one byte instead of eight). Rows of a layout that is no
 * longer configured, or whose width changed, cannot be written any more: {@link #decode} turns
 * them into gap records saying so instead of guessing.
 * <p>
 * Used by one thread at a time (the spool thread): the output buffer and the per-layout cache are
 * not shared.
 */
public final class RecordCodec {
    static final byte VERSION = 1;
    /**
     * A safety bound on {@link #codes}. Layouts are one instance per table (configured ones, and
     * SunSpec ones interned by {@code SunSpecProfiles}), so the cache holds one entry per table in
     * use; were layouts ever made afresh per device or per discovery, it is cleared here instead
     * of growing.
     */
    private static final int MAX_CACHED_LAYOUTS = 4096;
    /** Configured layouts, plus those met while encoding (SunSpec tables discovered at run time). */
    private final Map<String, TableLayout> layouts = new ConcurrentHashMap<>();
    /** What every record says of a layout, computed once per layout instance instead of per cycle. */
    private final Map<TableLayout, LayoutCode> codes = new IdentityHashMap<>();
    private ByteBuffer out = ByteBuffer.allocate(16 << 10).order(ByteOrder.LITTLE_ENDIAN);

    /** A layout's name as written ({@code profile \n table}, UTF-8) and its column kinds. */
    private record LayoutCode(byte[] key, byte[] kinds) {
    }

    public RecordCodec(List<TableLayout> layouts) {
        layouts.forEach(l -> this.layouts.put(key(l), l));
    }

    private static String key(TableLayout l) {
        return l.profile() + "\n" + l.table();
    }

    /** Encodes into a reused buffer; the returned array is valid until the next call ({@link #length()} bytes). */
    public byte[] encode(CycleOutput c) {
        out.clear();
        put((byte) VERSION);
        putString(c.device());
        putLong(c.tickMillis());
        Map<TableLayout, List<DecodedRow>> byLayout = new LinkedHashMap<>();
        for (DecodedRow r : c.rows()) {
            byLayout.computeIfAbsent(r.layout(), k -> new ArrayList<>()).add(r);
        }
        putInt(byLayout.size());
        for (Map.Entry<TableLayout, List<DecodedRow>> e : byLayout.entrySet()) {
            TableLayout l = e.getKey();
            int width = l.width();
            int words = (width + 63) >>> 6;
            LayoutCode code = codeOf(l);
            putBytes(code.key());
            putInt(width);
            putInt(e.getValue().size());
            // one byte per column: 'F' float8 cells stay 8 bytes, 'T' text is a string, the rest (ints, flags) varints
            byte[] kinds = code.kinds();
            ensure(width);
            out.put(kinds);
            for (DecodedRow r : e.getValue()) {
                putString(r.device());
                putLong(r.tickMillis());
                ensure((words + width) * 10L);
                for (int w = 0; w < words; w++) {
                    long bits = 0;
                    for (int b = 0; b < 64 && (w << 6) + b < width; b++) {
                        if (r.isNull((w << 6) + b)) {
                            bits |= 1L << b;
                        }
                    }
                    out.putLong(bits);
                }
                for (int i = 0; i < width; i++) {
                    if (kinds[i] == 'F') {
                        out.putLong(r.getLong(i));
                    } else if (kinds[i] == 'T') {
                        putString(r.isNull(i) ? null : r.getText(i));
                    } else {
                        putVarLong(r.getLong(i));
                    }
                }
            }
        }
        putInt(c.quality().size());
        for (QualityEvent q : c.quality()) {
            putString(q.device());
            putLong(q.tickMillis());
            putString(q.table());
            putInt(q.groupKey());
            putString(q.column());
            putInt(q.raw().length);
            for (int v : q.raw()) {
                putInt(v);
            }
            putLong(Double.doubleToRawLongBits(q.value()));
            putString(q.rule());
        }
        putInt(c.gaps().size());
        for (GapEvent g : c.gaps()) {
            putString(g.device());
            putLong(g.tickMillis());
            putString(g.table());
            putInt(g.missingRows());
            putString(g.reason());
        }
        if (!c.alarms().isEmpty()) {
            // only when there are any: a cycle without alarms stays byte for byte what it always was
            putInt(c.alarms().size());
            for (Alarm a : c.alarms()) {
                putAlarm(a);
            }
        }
        return out.array();
    }

    /** The cycle's tick without decoding the rest. */
    static long tickOf(byte[] payload, int length) {
        ByteBuffer in = ByteBuffer.wrap(payload, 0, length).order(ByteOrder.LITTLE_ENDIAN);
        in.get();
        int n = in.getInt();
        return in.getLong(in.position() + n);
    }

    /** Bytes of the last {@link #encode}. */
    public int length() {
        return out.position();
    }

    public CycleOutput decode(byte[] payload, int length) {
        ByteBuffer in = ByteBuffer.wrap(payload, 0, length).order(ByteOrder.LITTLE_ENDIAN);
        byte version = in.get();
        if (version != VERSION) {
            throw new IllegalArgumentException("unknown spool record version " + version);
        }
        String device = getString(in);
        long tick = in.getLong();
        List<DecodedRow> rows = new ArrayList<>();
        List<GapEvent> gaps = new ArrayList<>();
        int groups = in.getInt();
        for (int g = 0; g < groups; g++) {
            String key = getString(in);
            int width = in.getInt();
            int n = in.getInt();
            byte[] kinds = new byte[width];
            in.get(kinds);
            TableLayout layout = layouts.get(key);
            boolean usable = layout != null && layout.width() == width && sameKinds(layout, kinds);
            int words = (width + 63) >>> 6;
            String table = key.substring(key.indexOf('\n') + 1);
            for (int i = 0; i < n; i++) {
                String rowSite = getString(in);
                long rowTick = in.getLong();
                DecodedRow r = usable ? new DecodedRow(layout, rowSite, rowTick) : null;
                for (int w = 0; w < words; w++) {
                    long bits = in.getLong();
                    for (int b = 0; r != null && b < 64 && (w << 6) + b < width; b++) {
                        if ((bits & (1L << b)) != 0) {
                            r.setNull((w << 6) + b);
                        }
                    }
                }
                for (int c = 0; c < width; c++) {
                    if (kinds[c] == 'T') {
                        String text = getString(in);
                        if (r != null && !r.isNull(c)) {
                            r.setText(c, text);
                        }
                        continue;
                    }
                    long v = kinds[c] == 'F' ? in.getLong() : getVarLong(in);
                    if (r != null) {
                        r.setLong(c, v);
                    }
                }
                if (r != null) {
                    rows.add(r);
                } else {
                    gaps.add(new GapEvent(rowSite, rowTick, table, 1, layout == null
                            ? "spooled rows of a table layout no longer configured (" + key.replace('\n', ':') + ")"
                            : "spooled rows of " + width + " columns of other types, the profile has changed"));
                }
            }
        }
        int nq = in.getInt();
        List<QualityEvent> quality = new ArrayList<>(nq);
        for (int i = 0; i < nq; i++) {
            String s = getString(in);
            long t = in.getLong();
            String table = getString(in);
            int groupKey = in.getInt();
            String column = getString(in);
            int[] raw = new int[in.getInt()];
            for (int k = 0; k < raw.length; k++) {
                raw[k] = in.getInt();
            }
            double value = Double.longBitsToDouble(in.getLong());
            quality.add(new QualityEvent(s, t, table, groupKey, column, raw, value, getString(in)));
        }
        int ng = in.getInt();
        for (int i = 0; i < ng; i++) {
            gaps.add(new GapEvent(getString(in), in.getLong(), getString(in), in.getInt(), getString(in)));
        }
        List<Alarm> alarms = List.of();
        if (in.hasRemaining()) {
            int na = in.getInt();
            alarms = new ArrayList<>(na);
            for (int i = 0; i < na; i++) {
                alarms.add(getAlarm(in));
            }
        }
        return new CycleOutput(device, tick, rows, quality, gaps, alarms);
    }

    /** Nullable numbers and strings carry a presence byte: an empty string or 0 is a value. */
    private void putAlarm(Alarm a) {
        putLong(a.id().getMostSignificantBits());
        putLong(a.id().getLeastSignificantBits());
        putString(a.device());
        putNullableInt(a.bank());
        putNullableInt(a.rack());
        putString(a.code());
        putString(a.level());
        putString(a.column());
        putNullableString(a.unit());
        putLong(Double.doubleToRawLongBits(a.value()));
        put((byte) (a.limit() == null ? 0 : 1));
        putLong(a.limit() == null ? 0 : Double.doubleToRawLongBits(a.limit()));
        putString(a.message());
        putLong(a.startMillis());
        putLong(a.endMillis());
        putLong(Double.doubleToRawLongBits(a.peak()));
    }

    private static Alarm getAlarm(ByteBuffer in) {
        UUID id = new UUID(in.getLong(), in.getLong());
        String device = getString(in);
        Integer bank = getNullableInt(in);
        Integer rack = getNullableInt(in);
        String code = getString(in);
        String level = getString(in);
        String column = getString(in);
        String unit = in.get() == 0 ? skipString(in) : getString(in);
        double value = Double.longBitsToDouble(in.getLong());
        boolean hasLimit = in.get() != 0;
        long limitBits = in.getLong();
        String message = getString(in);
        long start = in.getLong();
        long end = in.getLong();
        double peak = Double.longBitsToDouble(in.getLong());
        return new Alarm(id, device, bank, rack, code, level, column, unit, value, hasLimit ? Double.longBitsToDouble(limitBits) : null,
                message, start, end, peak);
    }

    private void putNullableInt(Integer v) {
        put((byte) (v == null ? 0 : 1));
        putInt(v == null ? 0 : v);
    }

    private static Integer getNullableInt(ByteBuffer in) {
        boolean present = in.get() != 0;
        int v = in.getInt();
        return present ? v : null;
    }

    private void putNullableString(String s) {
        put((byte) (s == null ? 0 : 1));
        putString(s);
    }

    /** Reads past a string written for an absent value; null. */
    private static String skipString(ByteBuffer in) {
        getString(in);
        return null;
    }

    private LayoutCode codeOf(TableLayout l) {
        LayoutCode code = codes.get(l);
        if (code == null) {
            if (codes.size() >= MAX_CACHED_LAYOUTS) {
                codes.clear();
            }
            String key = key(l);
            layouts.putIfAbsent(key, l);
            code = new LayoutCode(key.getBytes(StandardCharsets.UTF_8), kinds(l));
            codes.put(l, code);
        }
        return code;
    }

    private static byte[] kinds(TableLayout l) {
        byte[] k = new byte[l.width()];
        for (int i = 0; i < k.length; i++) {
            SqlType t = l.columns().get(i).type();
            k[i] = t == SqlType.FLOAT8 ? (byte) 'F' : t == SqlType.TEXT ? (byte) 'T' : (byte) 'V';
        }
        return k;
    }

    private boolean sameKinds(TableLayout l, byte[] kinds) {
        return Arrays.equals(codeOf(l).kinds(), kinds);
    }

    /** Zigzag varint: flags and small integers take one byte instead of eight. */
    private void putVarLong(long v) {
        long z = (v << 1) ^ (v >> 63);
        while ((z & ~0x7FL) != 0) {
            out.put((byte) ((z & 0x7F) | 0x80));
            z >>>= 7;
        }
        out.put((byte) z);
    }

    private static long getVarLong(ByteBuffer in) {
        long z = 0;
        int shift = 0;
        byte b;
        do {
            if (shift > 63) {
                throw new IllegalArgumentException("bad varint");
            }
            b = in.get();
            z |= (long) (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return (z >>> 1) ^ -(z & 1);
    }

    private void ensure(long more) {
        if (out.remaining() < more) {
            long want = Math.max(out.capacity() * 2L, out.position() + more);
            if (want > SpoolFormat.MAX_PAYLOAD) {
                throw new IllegalArgumentException("a cycle of more than " + SpoolFormat.MAX_PAYLOAD + " bytes");
            }
            ByteBuffer b = ByteBuffer.allocate((int) want).order(ByteOrder.LITTLE_ENDIAN);
            out.flip();
            b.put(out);
            out = b;
        }
    }

    private void put(byte v) {
        ensure(1);
        out.put(v);
    }

    private void putInt(int v) {
        ensure(4);
        out.putInt(v);
    }

    private void putLong(long v) {
        ensure(8);
        out.putLong(v);
    }

    private void putString(String s) {
        putBytes((s == null ? "" : s).getBytes(StandardCharsets.UTF_8));
    }

    /** A string already in UTF-8: its length, then its bytes. */
    private void putBytes(byte[] b) {
        ensure(4 + b.length);
        out.putInt(b.length);
        out.put(b);
    }

    private static String getString(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new IllegalArgumentException("bad string length " + n);
        }
        String s = new String(in.array(), in.arrayOffset() + in.position(), n, StandardCharsets.UTF_8);
        in.position(in.position() + n);
        return s;
    }
}
