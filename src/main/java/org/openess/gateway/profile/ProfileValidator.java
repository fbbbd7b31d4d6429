package org.openess.gateway.profile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Checks a parsed profile document and builds the immutable {@link Profile}. Every rule failure
 * throws at once with the source and the entry ("table 'rack' point 'RACK_SOC'") in the message,
 * because a gateway that starts with a wrong map stores wrong data for months.
 */
final class ProfileValidator {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final Set<String> RESERVED_COLUMNS = Set.of(StoredColumns.TIMESTAMP, StoredColumns.SITE_ID);
    private static final int MAX_ADDRESS = 65535;

    private final String source;

    ProfileValidator(String source) {
        this.source = source;
    }

    Profile validate(ProfileFile file) {
        if (file.name == null || file.name.isBlank()) {
            throw fail("top level", "'name' is required");
        }
        Endianness defaultWordOrder = endianness("defaults", "word-order",
                file.defaults == null ? null : file.defaults.wordOrder, Endianness.BIG);
        Endianness defaultByteOrder = endianness("defaults", "byte-order",
                file.defaults == null ? null : file.defaults.byteOrder, Endianness.BIG);
        List<Area> areas = areas(file.areas);
        if (file.tables == null || file.tables.isEmpty()) {
            throw fail("top level", "'tables' must list at least one table");
        }
        List<TableSpec> tables = new ArrayList<>();
        Set<String> tableNames = new HashSet<>();
        for (int i = 0; i < file.tables.size(); i++) {
            ProfileFile.TableEntry entry = file.tables.get(i);
            if (entry == null) {
                throw fail("tables[" + i + "]", "empty table entry");
            }
            String where = entry.name == null ? "tables[" + i + "]" : "table '" + entry.name + "'";
            if (entry.name == null || !IDENTIFIER.matcher(entry.name).matches()) {
                throw fail(where, "'name' must be an identifier (letters, digits, _; at most 63), got '" + entry.name + "'");
            }
            if (!tableNames.add(entry.name)) {
                throw fail(where, "duplicate table name");
            }
            if (entry.name.toLowerCase(java.util.Locale.ROOT).startsWith("sunspec_")) {
                // SunSpec discovery creates these at run time, with the columns of the SunSpec models
                throw fail(where, "table names starting with 'sunspec_' are reserved for SunSpec devices (profile: sunspec)");
            }
            tables.add(table(where, entry, areas, defaultWordOrder, defaultByteOrder));
        }
        checkOverlaps(tables);
        ProfileSectionsValidator sections = new ProfileSectionsValidator(source, tables);
        return new Profile(file.name, source, List.copyOf(areas), List.copyOf(tables), sections.units(file),
                sections.protection(file.protection), sections.overview(file.overview));
    }

    private List<Area> areas(List<ProfileFile.AreaEntry> entries) {
        if (entries == null || entries.isEmpty()) {
            throw fail("top level", "'areas' must list at least one read area (name, function, start, count)");
        }
        List<Area> areas = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            ProfileFile.AreaEntry e = entries.get(i);
            String where = e == null || e.name == null ? "areas[" + i + "]" : "area '" + e.name + "'";
            if (e == null || e.name == null || e.name.isBlank()) {
                throw fail(where, "'name' is required");
            }
            if (!names.add(e.name)) {
                throw fail(where, "duplicate area name");
            }
            FunctionCode function = e.function == null ? null : FunctionCode.parse(e.function);
            if (function == null) {
                throw fail(where, "'function' must be one of coils (1), discrete-inputs (2), holding-registers (3), "
                        + "input-registers (4), got '" + e.function + "'");
            }
            if (e.start == null || e.start < 0 || e.start > MAX_ADDRESS) {
                throw fail(where, "'start' must be an address 0.." + MAX_ADDRESS + ", got " + e.start);
            }
            if (e.count == null || e.count < 1) {
                throw fail(where, "'count' must be at least 1, got " + e.count);
            }
            if (e.start + e.count - 1 > MAX_ADDRESS) {
                throw fail(where, "runs past address " + MAX_ADDRESS + " (start " + e.start + " + count " + e.count + ")");
            }
            Area area = new Area(e.name, function, e.start, e.count);
            for (Area other : areas) {
                if (other.function() == function && area.start() <= other.end() && other.start() <= area.end()) {
                    throw fail(where, "overlaps area " + other + " with the same function");
                }
            }
            areas.add(area);
        }
        return areas;
    }

    private TableSpec table(String where, ProfileFile.TableEntry entry, List<Area> areas, Endianness wordOrder,
            Endianness byteOrder) {
        Set<String> columns = new HashSet<>();
        Map<String, Integer> constants = new LinkedHashMap<>();
        if (entry.constants != null) {
            for (Map.Entry<String, Integer> c : entry.constants.entrySet()) {
                String col = c.getKey();
                checkColumnName(where + " constant '" + col + "'", col, columns);
                if (c.getValue() == null) {
                    throw fail(where + " constant '" + col + "'", "needs an integer value");
                }
                constants.put(col, c.getValue());
            }
        }
        GroupSpec group = null;
        if (entry.group != null) {
            ProfileFile.GroupEntry g = entry.group;
            String gw = where + " group";
            if (g.column == null) {
                throw fail(gw, "'column' (the group key, e.g. RACK_ID) is required");
            }
            checkColumnName(gw + " column '" + g.column + "'", g.column, columns);
            if (g.count == null || g.count < 1) {
                throw fail(gw, "'count' must be at least 1, got " + g.count);
            }
            if (g.stride != null && g.stride < 1) {
                throw fail(gw, "'stride' must be at least 1, got " + g.stride);
            }
            group = new GroupSpec(g.column, g.count, g.first == null ? 1 : g.first, g.stride);
        }
        if (entry.points == null || entry.points.isEmpty()) {
            throw fail(where, "'points' must list at least one point");
        }
        List<PointSpec> points = new ArrayList<>();
        for (int i = 0; i < entry.points.size(); i++) {
            ProfileFile.PointEntry p = entry.points.get(i);
            String pw = p == null || p.column == null ? where + " points[" + i + "]" : where + " point '" + p.column + "'";
            if (p == null || p.column == null) {
                throw fail(pw, "'column' is required");
            }
            checkColumnName(pw, p.column, columns);
            points.add(point(pw, p, group, areas, wordOrder, byteOrder));
        }
        return new TableSpec(entry.name, Map.copyOf(constants).isEmpty() ? Map.of() : constants, group, List.copyOf(points));
    }

    private PointSpec point(String where, ProfileFile.PointEntry p, GroupSpec group, List<Area> areas,
            Endianness defaultWordOrder, Endianness defaultByteOrder) {
        PointType type = p.type == null ? null : PointType.parse(p.type);
        if (type == null) {
            throw fail(where, "unknown type '" + p.type + "' (expected one of " + PointType.names() + ")");
        }
        if (p.address == null || p.address < 0 || p.address > MAX_ADDRESS) {
            throw fail(where, "'address' must be 0.." + MAX_ADDRESS + ", got " + p.address);
        }
        int bit = 0;
        if (type == PointType.BIT) {
            if (p.bit == null || p.bit < 0 || p.bit > 15) {
                throw fail(where, "type bit needs 'bit' 0..15 (0 = least significant), got " + p.bit);
            }
            bit = p.bit;
        } else if (p.bit != null) {
            throw fail(where, "'bit' only applies to type bit");
        }
        if (p.wordOrder != null && !type.isMultiRegister()) {
            throw fail(where, "'word-order' only applies to 32- and 64-bit types, not " + type.yamlName());
        }
        Endianness wordOrder = endianness(where, "word-order", p.wordOrder, defaultWordOrder);
        Endianness byteOrder = endianness(where, "byte-order", p.byteOrder, defaultByteOrder);
        double scale = p.scale == null ? 1.0 : p.scale;
        double offset = p.offset == null ? 0.0 : p.offset;
        if (!Double.isFinite(scale) || scale == 0.0) {
            throw fail(where, "'scale' must be a finite non-zero number, got " + p.scale);
        }
        if (!Double.isFinite(offset)) {
            throw fail(where, "'offset' must be finite, got " + p.offset);
        }
        boolean bitLike = type == PointType.BIT || type == PointType.BOOL;
        if (bitLike && (scale != 1.0 || offset != 0.0)) {
            throw fail(where, "'scale' and 'offset' do not apply to type " + type.yamlName());
        }
        if (p.min != null && p.max != null && p.min > p.max) {
            throw fail(where, "'min' " + p.min + " is greater than 'max' " + p.max);
        }
        if ((p.min != null && !Double.isFinite(p.min)) || (p.max != null && !Double.isFinite(p.max))) {
            throw fail(where, "'min' and 'max' must be finite numbers");
        }
        boolean invert = Boolean.TRUE.equals(p.invert);
        if (invert && type.isFloat()) {
            throw fail(where, "'invert' swaps 0 and 1 of integer flags; it does not apply to " + type.yamlName());
        }
        boolean integral = !type.isFloat() && isWhole(scale) && isWhole(offset);
        boolean fitsInt4 = fitsInt4(type, scale, offset, p.min, p.max);
        SqlType sqlType = defaultSqlType(type, integral, fitsInt4);
        if (p.sqlType != null) {
            sqlType = SqlType.parse(p.sqlType);
            if (sqlType == null) {
                throw fail(where, "unknown sql-type '" + p.sqlType + "' (expected float8, int4, int8 or bool)");
            }
            if (sqlType.isInteger() && !integral) {
                throw fail(where, "sql-type " + sqlType.sql() + " cannot hold the fractions that type " + type.yamlName()
                        + " with scale " + scale + " and offset " + offset + " produces; use float8");
            }
            if (sqlType == SqlType.INT4 && !fitsInt4) {
                throw fail(where, "sql-type int4 cannot hold every " + type.yamlName() + " value"
                        + (scale != 1.0 || offset != 0.0 ? " with scale " + scale + " and offset " + offset : "")
                        + "; use int8 or float8, or declare min/max within int4");
            }
            if (sqlType == SqlType.INT8 && type == PointType.UINT64) {
                throw fail(where, "sql-type int8 cannot hold uint64 values above 2^63-1; use float8");
            }
            if (sqlType == SqlType.BOOL && !bitLike) {
                throw fail(where, "sql-type bool is only for types bit and bool");
            }
        }
        Area area = resolveArea(where, p, type, areas);
        if (type != PointType.BOOL && area.function().isBitAddressed()) {
            throw fail(where, "type " + type.yamlName() + " needs a register area; area " + area + " holds single bits "
                    + "(use type bool)");
        }
        int stride = 0;
        int length = area.function().isBitAddressed() ? 1 : type.registers();
        if (group != null) {
            Integer s = p.stride != null ? p.stride : group.defaultStride();
            if (s == null && group.count() > 1) {
                throw fail(where, "grouped point needs a 'stride' (on the point or the group)");
            }
            stride = s == null ? 0 : s;
            if (stride < 0 || (group.count() > 1 && stride < length)) {
                throw fail(where, "'stride' " + stride + " is smaller than the point's own length " + length);
            }
            int lastInstance = group.count() - 1;
            long lastAddress = (long) p.address + (long) lastInstance * stride;
            if (lastAddress + length - 1 > MAX_ADDRESS) {
                throw fail(where, "group instance " + group.keyOf(lastInstance) + " of " + group.count() + " lies at address "
                        + lastAddress + ", past " + MAX_ADDRESS);
            }
            for (int i = 0; i < group.count(); i++) {
                int a = p.address + i * stride;
                if (!area.contains(a, length)) {
                    throw fail(where, "group " + group.column() + " " + group.keyOf(i) + " of " + group.count() + " at address "
                            + a + " runs off area " + area);
                }
            }
        } else if (p.stride != null) {
            throw fail(where, "'stride' only applies to points of a grouped table");
        }
        return new PointSpec(p.column, area, p.address, stride, type, bit, wordOrder, byteOrder, scale, offset, p.min, p.max,
                invert, sqlType);
    }

    private Area resolveArea(String where, ProfileFile.PointEntry p, PointType type, List<Area> areas) {
        if (p.area != null) {
            Area area = areas.stream().filter(a -> a.name().equals(p.area)).findFirst()
                    .orElseThrow(() -> fail(where, "unknown area '" + p.area + "'"));
            int length = area.function().isBitAddressed() ? 1 : type.registers();
            if (!area.contains(p.address, length)) {
                throw fail(where, "address " + p.address + " (" + length + " long) lies outside area " + area);
            }
            return area;
        }
        List<Area> candidates = new ArrayList<>();
        for (Area a : areas) {
            int length = a.function().isBitAddressed() ? 1 : type.registers();
            if (a.contains(p.address, length)) {
                candidates.add(a);
            }
        }
        if (candidates.isEmpty()) {
            throw fail(where, "address " + p.address + " (" + type.registers() + " register(s)) lies in no read area "
                    + "(or runs off the end of one)");
        }
        if (candidates.size() > 1) {
            throw fail(where, "address " + p.address + " lies in areas " + candidates + "; say which with 'area'");
        }
        return candidates.get(0);
    }

    /** No two points may read the same register (or bit); bit points may share a register on distinct bits. */
    private void checkOverlaps(List<TableSpec> tables) {
        Map<FunctionCode, TreeMap<Integer, String>> owners = new HashMap<>();
        Map<FunctionCode, Map<Integer, Integer>> bitsUsed = new HashMap<>();
        for (TableSpec table : tables) {
            int instances = table.rowsPerCycle();
            for (PointSpec point : table.points()) {
                for (int i = 0; i < instances; i++) {
                    String name = "table '" + table.name() + "' point '" + point.column() + "'"
                            + (table.isGrouped() ? " (" + table.group().column() + " " + table.group().keyOf(i) + ")" : "");
                    int address = point.addressOf(i);
                    FunctionCode fc = point.area().function();
                    TreeMap<Integer, String> used = owners.computeIfAbsent(fc, k -> new TreeMap<>());
                    if (point.type() == PointType.BIT) {
                        Map<Integer, Integer> bits = bitsUsed.computeIfAbsent(fc, k -> new HashMap<>());
                        String whole = used.get(address);
                        if (whole != null && !bits.containsKey(address)) {
                            throw fail(name, "reads register " + address + " which " + whole + " already reads");
                        }
                        int mask = bits.getOrDefault(address, 0);
                        if ((mask & (1 << point.bit())) != 0) {
                            throw fail(name, "bit " + point.bit() + " of register " + address + " is already read by "
                                    + used.get(address));
                        }
                        bits.put(address, mask | (1 << point.bit()));
                        used.putIfAbsent(address, name);
                        continue;
                    }
                    for (int a = address; a < address + point.length(); a++) {
                        String other = used.get(a);
                        if (other != null) {
                            throw fail(name, "address " + a + " (" + fc.yamlName() + ") overlaps " + other);
                        }
                    }
                    for (int a = address; a < address + point.length(); a++) {
                        used.put(a, name);
                    }
                }
            }
        }
    }

    private void checkColumnName(String where, String column, Set<String> seen) {
        if (!IDENTIFIER.matcher(column).matches()) {
            throw fail(where, "column name must be an identifier (letters, digits, _; at most 63)");
        }
        if (RESERVED_COLUMNS.contains(column.toUpperCase())) {
            throw fail(where, "column name '" + column + "' is reserved (every table has \"TIMESTAMP\" and \"SITE_ID\")");
        }
        if (!seen.add(column)) {
            throw fail(where, "duplicate column '" + column + "' in the table");
        }
    }

    private Endianness endianness(String where, String key, String value, Endianness fallback) {
        if (value == null) {
            return fallback;
        }
        Endianness e = Endianness.parse(value);
        if (e == null) {
            throw fail(where, "'" + key + "' must be big or little, got '" + value + "'");
        }
        return e;
    }

    /**
     * Whether every storable value (the type's range after scale and offset, narrowed by min/max)
     * fits an int4; values outside min/max are stored as NULL, so they do not count.
     */
    private static boolean fitsInt4(PointType type, double scale, double offset, Double min, Double max) {
        double lo;
        double hi;
        switch (type) {
            case BIT, BOOL -> { lo = 0; hi = 1; }
            case INT16 -> { lo = Short.MIN_VALUE; hi = Short.MAX_VALUE; }
            case UINT16 -> { lo = 0; hi = 0xFFFF; }
            case INT32 -> { lo = Integer.MIN_VALUE; hi = Integer.MAX_VALUE; }
            case UINT32 -> { lo = 0; hi = 0xFFFF_FFFFL; }
            case INT64 -> { lo = -0x1p63; hi = 0x1p63; }
            case UINT64 -> { lo = 0; hi = 0x1p64; }
            default -> { return false; }
        }
        double a = lo * scale + offset;
        double b = hi * scale + offset;
        double low = Math.min(a, b);
        double high = Math.max(a, b);
        if (min != null) {
            low = Math.max(low, min);
        }
        if (max != null) {
            high = Math.min(high, max);
        }
        return low >= Integer.MIN_VALUE && high <= Integer.MAX_VALUE;
    }

    private static SqlType defaultSqlType(PointType type, boolean integral, boolean fitsInt4) {
        return switch (type) {
            case BIT, BOOL -> SqlType.BOOL;
            case INT16, UINT16, INT32 -> integral ? (fitsInt4 ? SqlType.INT4 : SqlType.INT8) : SqlType.FLOAT8;
            case UINT32, INT64 -> integral ? SqlType.INT8 : SqlType.FLOAT8;
            case UINT64, FLOAT32, FLOAT64 -> SqlType.FLOAT8;
            case STRING, IPV4, IPV6, EUI48 -> SqlType.TEXT;
        };
    }

    private static boolean isWhole(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15;
    }

    private ProfileException fail(String where, String message) {
        return new ProfileException(source + ": " + where + ": " + message);
    }
}
