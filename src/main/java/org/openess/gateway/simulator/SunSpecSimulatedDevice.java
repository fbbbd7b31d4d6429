package org.openess.gateway.simulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.openess.gateway.profile.FunctionCode;
import org.openess.gateway.sunspec.SunSpecModel;
import org.openess.gateway.sunspec.SunSpecType;
import org.openess.gateway.sunspec.SunSpecModels;

/**
 * A simulated SunSpec device: the {@code SunS} marker, the chain of {@link SunSpecChain} and the
 * end marker, in holding registers, recomputed once per wall-clock second. Values follow the
 * points' names and units (state of charge drifts over an hour, currents and power change sign
 * every ten minutes, cell voltages near 3.7 V, temperatures near 28 °C). Scale factors are fixed
 * per factor: negative for voltages, currents, percentages and temperatures, positive for rated
 * energy and power, so both signs are exercised. A fixed set of optional points (and the
 * {@code DoD_SF} factor) is served as "not implemented". Reads outside the chain get exception 02.
 */
public final class SunSpecSimulatedDevice implements SimulatedRegisters {
    /** Optional points served as "not implemented" (their type's sentinel). */
    static final Set<String> NOT_IMPLEMENTED = Set.of("DoD_SF", "SocRsvMax", "SoCRsvMin", "WarrDt", "Evt2", "EvtVnd1", "EvtVnd2",
            "StateVnd", "CtrlHb", "Opt", "StrEvt2", "StrEvtVnd1", "StrEvtVnd2", "EvtVnd3", "EvtVnd4", "StVnd", "TmpOt");

    private final int index;
    private final int base;
    private final int[] image;
    private final List<Slot> slots = new ArrayList<>();
    private long imageSecond = Long.MIN_VALUE;
    /** Raw values held by {@link #hold} (model name + "." + point), e.g. battery alarm bits for tests and demos. */
    private final Map<String, Long> held = new HashMap<>();

    /** One point of one model (and group instance) at its address. */
    private record Slot(int address, SunSpecModel.Point point, int size, Integer exponent, int string, int module, int instance,
            int count, String modelName) {
    }

    public SunSpecSimulatedDevice(SunSpecChain chain, SunSpecModels models, int index) {
        if ((long) chain.base() + 4 + chain.models().stream().mapToLong(id -> 2L + models.get(id).group().pointRegisters()).sum()
                > 0x10000) {
            throw new org.openess.gateway.sunspec.SunSpecException("the chain does not fit the register space from base "
                    + chain.base());
        }
        this.index = index;
        this.base = chain.base();
        List<int[]> headers = new ArrayList<>();
        int address = base + 2;
        for (int id : chain.models()) {
            SunSpecModel m = models.get(id);
            int copies = id == 804 ? chain.strings() : id == 805 ? chain.strings() * chain.modules() : 1;
            for (int c = 0; c < copies; c++) {
                int string = id == 805 ? c / chain.modules() + 1 : c + 1;
                int module = id == 805 ? c % chain.modules() + 1 : 0;
                address = layOut(m, chain, address, string, module, headers);
            }
        }
        image = new int[address + 2 - base];
        image[0] = 0x5375;
        image[1] = 0x6E53;
        image[address - base] = 0xFFFF;
        image[address + 1 - base] = 0;
        for (int[] h : headers) {
            image[h[0] - base] = h[1];
            image[h[0] + 1 - base] = h[2];
        }
    }

    /** Places one model at {@code address}; returns the address after it. */
    private int layOut(SunSpecModel m, SunSpecChain chain, int address, int string, int module, List<int[]> headers) {
        SunSpecModel.Group top = m.group();
        Map<String, Integer> counts = new HashMap<>();
        collectCounts(top, chain, counts);
        int body = top.pointRegisters() - 2;
        for (SunSpecModel.Group g : top.groups()) {
            body += instances(g, chain, counts) * instanceRegisters(g, chain, counts);
        }
        headers.add(new int[] { address, m.id(), body });
        Map<String, Integer> exponents = new HashMap<>();
        int a = address;
        for (SunSpecModel.Point p : top.points()) {
            slots.add(new Slot(a, p, p.size(), exponentOf(p, top, exponents), string, module, 0, counts.getOrDefault(p.name(), 0),
                    m.name()));
            a += p.size();
        }
        for (SunSpecModel.Group g : top.groups()) {
            a = layOutGroup(g, chain, counts, exponents, a, string, module, m.name());
        }
        return a;
    }

    /** Every instance of {@code g} and of the groups nested in it, from {@code a}; returns the address after them. */
    private int layOutGroup(SunSpecModel.Group g, SunSpecChain chain, Map<String, Integer> counts, Map<String, Integer> exponents, int a,
            int string, int module, String modelName) {
        int n = instances(g, chain, counts);
        for (int i = 0; i < n; i++) {
            for (SunSpecModel.Point p : g.points()) {
                slots.add(new Slot(a, p, p.size(), exponentOf(p, g, exponents), string, module, i + 1, 0, modelName));
                a += p.size();
            }
            for (SunSpecModel.Group h : g.groups()) {
                a = layOutGroup(h, chain, counts, exponents, a, string, module, modelName);
            }
        }
        return a;
    }

    private static void collectCounts(SunSpecModel.Group g, SunSpecChain chain, Map<String, Integer> counts) {
        for (SunSpecModel.Group h : g.groups()) {
            if (h.countPoint() != null) {
                counts.put(h.countPoint(), countFor(h.countPoint(), chain));
            }
            collectCounts(h, chain, counts);
        }
    }

    private static int instances(SunSpecModel.Group g, SunSpecChain chain, Map<String, Integer> counts) {
        if (g.countPoint() != null) {
            return counts.get(g.countPoint());
        }
        return g.fillsModel() ? chain.cells() : g.countConstant();
    }

    private static int instanceRegisters(SunSpecModel.Group g, SunSpecChain chain, Map<String, Integer> counts) {
        int n = g.pointRegisters();
        for (SunSpecModel.Group h : g.groups()) {
            n += instances(h, chain, counts) * instanceRegisters(h, chain, counts);
        }
        return n;
    }

    private static int countFor(String countPoint, SunSpecChain chain) {
        return switch (countPoint) {
            case "NStr" -> chain.strings();
            case "NMod" -> chain.modules();
            case "NCell" -> chain.cells();
            // curves, points, profiles and the like: two of each, so every repeating group repeats
            default -> 2;
        };
    }

    /** The exponent the device uses for a point's scale factor (or for a sunssf point itself). */
    private static Integer exponentOf(SunSpecModel.Point p, SunSpecModel.Group g, Map<String, Integer> cache) {
        String sf = p.type() == SunSpecType.SUNSSF ? p.name() : p.sf();
        if (p.sfConstant() != null) {
            return p.sfConstant();
        }
        if (sf == null) {
            return null;
        }
        return cache.computeIfAbsent(sf, SunSpecSimulatedDevice::exponentFor);
    }

    static int exponentFor(String sf) {
        if (sf.startsWith("CellV")) {
            return -3;
        }
        if (sf.contains("WH") || sf.contains("WChaDisChaMax") || sf.startsWith("AHRtg")) {
            return 1;
        }
        if (sf.startsWith("W_") || sf.startsWith("VA") || sf.startsWith("Var") || sf.startsWith("PF")) {
            return sf.startsWith("PF") ? -2 : 0;
        }
        if (sf.startsWith("Hz")) {
            return -2;
        }
        return -1;
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public synchronized int[] read(FunctionCode function, int start, int count, long nowMillis) {
        if (function != FunctionCode.HOLDING_REGISTERS || start < base || start + count > base + image.length) {
            return null;
        }
        refresh(Math.floorDiv(nowMillis, 1000));
        return Arrays.copyOfRange(image, start - base, start - base + count);
    }

    /** The whole image (from the marker) at {@code epochSecond}; for tests. */
    public synchronized int[] imageAt(long epochSecond) {
        refresh(epochSecond);
        return image.clone();
    }

    public int base() {
        return base;
    }

    /**
     * Serves {@code raw} for the point {@code point} of every model named {@code model} (e.g.
     * "battery", "Evt1", 1 << 1 raises OVER_TEMP_ALARM) from the next read on, instead of the moving
     * value; null goes back to the moving value.
     */
    public synchronized void hold(String model, String point, Long raw) {
        if (raw == null) {
            held.remove(model + "." + point);
        } else {
            held.put(model + "." + point, raw);
        }
        imageSecond = Long.MIN_VALUE;
    }

    private void refresh(long second) {
        if (second == imageSecond) {
            return;
        }
        imageSecond = second;
        for (Slot s : slots) {
            String name = s.point().name();
            if (name.equals("ID") || name.equals("L")) {
                continue;
            }
            int at = s.address() - base;
            SunSpecType type = s.point().type();
            if (NOT_IMPLEMENTED.contains(name) || type == SunSpecType.PAD) {
                writeSentinel(type, at, s.size());
                continue;
            }
            switch (type) {
                case STRING -> writeString(text(s), at, s.size());
                case SUNSSF -> image[at] = s.exponent() & 0xFFFF;
                case IPADDR -> {
                    image[at] = (192 << 8) | 168;
                    image[at + 1] = 10 + index;
                }
                case EUI48 -> {
                    image[at] = 0;
                    image[at + 1] = 0x0200;
                    image[at + 2] = 0x5E00;
                    image[at + 3] = 0x5300 + (index & 0xFF);
                }
                case IPV6ADDR -> {
                    Arrays.fill(image, at, at + 8, 0);
                    image[at] = 0xFD00;
                    image[at + 7] = 1 + index;
                }
                default -> writeNumber(type, at, raw(s, second));
            }
        }
    }

    private String text(Slot s) {
        return switch (s.point().name()) {
            case "Mn" -> "OpenESS";
            case "Md" -> "SunSpec simulator";
            case "Vr" -> "1.0.0";
            case "SN" -> String.format("SIM%04d-%d-%d", index, s.string(), s.module());
            default -> s.point().name();
        };
    }

    /** The raw register value (before the device's scale factor) of a numeric point. */
    private long raw(Slot s, long second) {
        String n = s.point().name();
        SunSpecType type = s.point().type();
        Long h = held.get(s.modelName() + "." + n);
        if (h != null) {
            return h;
        }
        if (s.count() > 0 || n.equals("NStr") || n.equals("NMod") || n.equals("NCell")) {
            return s.count();
        }
        switch (n) {
            case "Idx", "StrIdx" -> {
                return s.string();
            }
            case "ModIdx" -> {
                return s.module();
            }
            case "DA" -> {
                return 1;
            }
            default -> {
            }
        }
        if (s.point().type() == SunSpecType.ENUM16 || type == SunSpecType.ENUM32) {
            return enumValue(n, second);
        }
        if (type == SunSpecType.BITFIELD16 || type == SunSpecType.BITFIELD32) {
            // an alarm bit about 3 % of the time
            return Math.floorMod(second + index * 7L + s.instance(), 33) == 0 ? 1L << 3 : 0;
        }
        if (n.endsWith("Str") || n.endsWith("Mod") || n.endsWith("Cell")) {
            return 1 + Math.floorMod(second / 60 + s.instance(), 2);
        }
        double v = physical(n, s, second);
        if (type == SunSpecType.FLOAT32 || type == SunSpecType.FLOAT64) {
            return Double.doubleToRawLongBits(v);
        }
        int e = s.exponent() == null ? 0 : s.exponent();
        long raw = Math.round(v / Math.pow(10, e));
        return clamp(type, raw);
    }

    private int enumValue(String name, long second) {
        double current = Math.sin(2 * Math.PI * ((second + index * 37L) % 600) / 600.0);
        return switch (name) {
            case "ChaSt" -> current >= 0 ? 4 : 3;   // CHARGING / DISCHARGING
            case "State" -> 2;                      // CONNECTED
            case "Typ" -> 4;                        // LITHIUM_ION
            case "LocRemCtl" -> 0;                  // REMOTE
            case "St" -> 4;
            default -> 1;
        };
    }

    private double physical(String n, Slot s, long second) {
        double slow = Math.sin(2 * Math.PI * ((second + index * 61L) % 3600) / 3600.0);
        double fast = Math.sin(2 * Math.PI * ((second + index * 37L) % 600) / 600.0);
        double jitter = 0.001 * ((s.instance() * 7 + s.module() * 3 + s.string()) % 11);
        if (n.contains("SoC")) {
            return n.contains("Max") ? 95 : n.contains("Min") ? 5 : 55 + 30 * slow + jitter * 10;
        }
        if (n.contains("SoH")) {
            return 97.5;
        }
        if (n.contains("DoD") || n.equals("DisChaRte")) {
            return 45 - 30 * slow;
        }
        if (n.contains("CellV")) {
            return 3.7 + 0.05 * slow + jitter;
        }
        if (n.contains("Tmp")) {
            return 28 + 3 * slow + jitter * 10;
        }
        if (n.equals("AHRtg")) {
            return 280;
        }
        if (n.equals("WHRtg")) {
            return 200_000;
        }
        if (n.startsWith("WChaRte") || n.startsWith("WDisChaRte") || n.equals("WChaMax")) {
            return 100_000;
        }
        if (n.equals("NCyc")) {
            return 1200 + second / 86_400;
        }
        if (n.equals("Hb")) {
            return second & 0x7FFF;
        }
        if (n.startsWith("W") && !n.startsWith("WH")) {
            return 75_000 * fast;
        }
        if (n.startsWith("A") || n.startsWith("Str") && n.endsWith("A") || n.contains("A") && n.length() <= 6) {
            return n.contains("Max") ? 200 : 100 * fast;
        }
        if (n.contains("V")) {
            return s.modelName().contains("module") ? 3.7 * 16 : 800 + 20 * slow;
        }
        if (n.equals("Hz")) {
            return 60.0;
        }
        if (n.startsWith("WH") || n.startsWith("TotWh")) {
            return 1_000_000 + second % 1_000_000;
        }
        return 1;
    }

    private static long clamp(SunSpecType type, long raw) {
        // keep clear of the "not implemented" values so a served value is never read back as absent
        return switch (type) {
            case INT16 -> Math.max(-32767, Math.min(32767, raw));
            case UINT16, ACC16, COUNT -> Math.max(type == SunSpecType.ACC16 ? 1 : 0, Math.min(0xFFFE, raw));
            case INT32 -> Math.max(-0x7FFF_FFFFL, Math.min(0x7FFF_FFFFL, raw));
            case UINT32, ACC32 -> Math.max(type == SunSpecType.ACC32 ? 1 : 0, Math.min(0xFFFF_FFFEL, raw));
            case ACC64 -> Math.max(1, raw);
            default -> raw;
        };
    }

    private void writeNumber(SunSpecType type, int at, long raw) {
        int size = type.registers();
        if (type == SunSpecType.FLOAT32) {
            raw = Float.floatToRawIntBits((float) Double.longBitsToDouble(raw)) & 0xFFFF_FFFFL;
        }
        for (int i = size - 1; i >= 0; i--) {
            image[at + i] = (int) (raw & 0xFFFF);
            raw >>>= 16;
        }
    }

    private void writeSentinel(SunSpecType type, int at, int size) {
        if (type == SunSpecType.PAD) {
            image[at] = 0x8000;
            return;
        }
        if (type == SunSpecType.STRING || type == SunSpecType.IPV6ADDR || type.absent() == null) {
            Arrays.fill(image, at, at + size, 0);
            return;
        }
        writeNumber(type, at, type.absent());
    }

    private void writeString(String text, int at, int size) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < size; i++) {
            int hi = 2 * i < b.length ? b[2 * i] & 0xFF : 0;
            int lo = 2 * i + 1 < b.length ? b[2 * i + 1] & 0xFF : 0;
            image[at + i] = (hi << 8) | lo;
        }
    }
}
