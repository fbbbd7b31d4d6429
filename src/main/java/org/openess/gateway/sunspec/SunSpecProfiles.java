package org.openess.gateway.sunspec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;
import java.util.concurrent.ConcurrentHashMap;

import org.openess.gateway.decode.CycleDecoder;
import org.openess.gateway.plan.PlanLimits;
import org.openess.gateway.plan.RequestPlan;
import org.openess.gateway.plan.RequestPlanner;
import org.openess.gateway.profile.Area;
import org.openess.gateway.profile.Endianness;
import org.openess.gateway.profile.FunctionCode;
import org.openess.gateway.profile.GroupSpec;
import org.openess.gateway.profile.PointSpec;
import org.openess.gateway.profile.Profile;
import org.openess.gateway.profile.SqlType;
import org.openess.gateway.profile.TableLayout;
import org.openess.gateway.profile.TableSpec;

/**
 * Turns a discovered {@link SunSpecLayout} into the same {@link Profile} a register-map file
 * gives, so planning, decoding, storage, archive and loss accounting treat a SunSpec device like
 * any other:
 * <ul>
 * <li>one area per model in the chain (holding registers, header included), so no read crosses a
 * model;</li>
 * <li>one table per model, {@code sunspec_<model name>}, keyed by {@code MODEL_INDEX} (the model's
 * occurrence in the chain: a battery with two strings has two 804 models, rows 1 and 2);</li>
 * <li>one table per repeating group, {@code sunspec_<model>_<group>}, with one row per instance
 * keyed by {@code MODEL_INDEX} and {@code <GROUP>_INDEX} (1-based), like operation1's racks; a
 * nested group (to any depth) is its own table, {@code sunspec_<model>_<group>_<nested>}, keyed
 * by every enclosing index too;</li>
 * <li>a column per point, named as in the model ({@code SoC}, {@code SoC_SF}); {@code ID},
 * {@code L} and {@code pad} points are not stored. Points with a scale factor are float8, read
 * with the factor of the same cycle; the rest keep their type (int4/int8/float8/text). A point
 * the device does not serve (past the length it declares, or refused) keeps its column, NULL.</li>
 * </ul>
 * Table layouts are shared between devices (one instance per table), so the writer batches the
 * rows of every device of a model together.
 */
public final class SunSpecProfiles {
    public static final String MODEL_INDEX = "MODEL_INDEX";
    public static final String PREFIX = "sunspec_";
    private static final int MAX_IDENTIFIER = 63;

    private final Map<String, TableLayout> layouts = new ConcurrentHashMap<>();

    /** A device's discovered layout compiled for polling. */
    public record Compiled(SunSpecLayout layout, Profile profile, Map<String, TableLayout> layouts, CycleDecoder decoder) {
    }

    public Compiled compile(SunSpecLayout layout, PlanLimits limits) {
        return compile(layout, limits, ReadFallback.NONE);
    }

    /**
     * Compiles {@code layout}; {@code fallback} names the models the device would not read in
     * whole reads (read point by point, without bridging padding) and the points it refuses
     * altogether (stored NULL).
     */
    public Compiled compile(SunSpecLayout layout, PlanLimits limits, ReadFallback fallback) {
        List<Area> areas = new ArrayList<>();
        List<TableSpec> tables = new ArrayList<>();
        Map<String, TableSpec> columns = new LinkedHashMap<>();
        Set<Area> exact = new HashSet<>();
        for (DiscoveredModel m : layout.models()) {
            Area area = areaOf(m);
            areas.add(area);
            if (fallback.splitModels().contains(area.name())) {
                exact.add(area);
            }
            ModelTables t = tablesOf(m, area, fallback);
            tables.addAll(t.read());
            t.columns().forEach(columns::putIfAbsent);
        }
        Profile profile = new Profile("sunspec", "sunspec", List.copyOf(areas), List.copyOf(tables));
        Map<String, TableLayout> byName = new LinkedHashMap<>();
        for (TableSpec t : columns.values()) {
            byName.computeIfAbsent(t.name(), n -> intern(TableLayout.of(profile, t)));
        }
        RequestPlan plan;
        try {
            plan = RequestPlanner.plan(profile, limits, exact);
        } catch (IllegalArgumentException e) {
            throw new SunSpecException("cannot plan the reads of " + layout.describe() + ": " + e.getMessage(), e);
        }
        return new Compiled(layout, profile, byName, new CycleDecoder(profile, plan, byName));
    }

    /** The area of one model in the chain: its header and the length it declares. */
    static Area areaOf(DiscoveredModel m) {
        return new Area("model " + m.model().id() + "#" + m.occurrence(), FunctionCode.HOLDING_REGISTERS, m.address(), m.length() + 2);
    }

    /** One layout instance per table; two models that give one table different columns are refused. */
    private TableLayout intern(TableLayout layout) {
        TableLayout known = layouts.putIfAbsent(layout.table(), layout);
        if (known == null) {
            return layout;
        }
        if (!known.columns().equals(layout.columns())) {
            throw new SunSpecException("table '" + layout.table() + "' would get columns " + names(layout) + " but already has "
                    + names(known) + " (two model definitions with the same name?)");
        }
        return known;
    }

    private static List<String> names(TableLayout l) {
        return l.columns().stream().map(c -> c.name() + " " + c.type().sql()).toList();
    }

    /**
     * The tables of one model: {@code read} the specs to plan and decode (only the points the
     * device serves), {@code columns} one spec per table with every point of the model file (the
     * stored columns; a point not read is NULL).
     */
    record ModelTables(List<TableSpec> read, Map<String, TableSpec> columns) {
    }

    static ModelTables tablesOf(DiscoveredModel m, Area area, ReadFallback fallback) {
        SunSpecModel.Group top = m.model().group();
        String table = tableName(m.model());
        Map<String, Integer> constants = new LinkedHashMap<>();
        constants.put(MODEL_INDEX, m.occurrence());
        ModelTables out = new ModelTables(new ArrayList<>(), new LinkedHashMap<>());
        Served served = (address, size) -> address + size <= m.endAddress() && !fallback.refuses(address, size);
        Map<String, Integer> topAddresses = addresses(top, m.address());
        out.read().add(new TableSpec(table, constants, null, points(top, area, topAddresses, 0, List.of(), table, served)));
        out.columns().put(table, new TableSpec(table, constants, null, points(top, area, topAddresses, 0, List.of(), table, null)));
        int start = m.address() + top.pointRegisters();
        for (int i = 0; i < top.groups().size(); i++) {
            SunSpecModel.Group g = top.groups().get(i);
            GroupShape shape = m.groups().get(i);
            emitGroup(g, shape, table, top.name(), constants, start, List.of(topAddresses), area, served, out);
            start += shape.count() * shape.instanceRegisters(g);
        }
        return out;
    }

    /** Whether the device serves the registers of a point (inside its declared length, not refused). */
    @FunctionalInterface
    private interface Served {
        boolean test(int address, int size);
    }

    /**
     * The table of group {@code g} (instances from {@code start}) under one instance of each
     * enclosing group ({@code constants} hold their indexes), then the tables of its nested groups
     * under each of its instances: every nested group is its own table keyed by every enclosing
     * index.
     */
    private static void emitGroup(SunSpecModel.Group g, GroupShape shape, String parentTable, String parentName,
            Map<String, Integer> constants, int start, List<Map<String, Integer>> enclosing, Area area, Served served,
            ModelTables out) {
        String suffix = groupSuffix(parentName, g.name());
        String name = truncate(parentTable + "_" + suffix);
        String key = suffix.toUpperCase(Locale.ROOT) + "_INDEX";
        if (constants.containsKey(key)) {
            key = truncate(name.substring(PREFIX.length())).toUpperCase(Locale.ROOT) + "_INDEX";
        }
        int count = shape.count();
        int stride = shape.instanceRegisters(g);
        if (count == 0) {
            return;
        }
        out.columns().putIfAbsent(name, new TableSpec(name, constants, new GroupSpec(key, 1, 1, stride),
                points(g, area, addresses(g, start), stride, enclosing, name, null)));
        boolean whole = served.test(start, count * stride);
        if (whole) {
            out.read().add(new TableSpec(name, constants, new GroupSpec(key, count, 1, stride), points(g, area, addresses(g, start), stride,
                    enclosing, name, served)));
        } else {
            // some instance is cut short or refused: one spec per instance, each with the points it has
            for (int k = 0; k < count; k++) {
                int at = start + k * stride;
                out.read().add(new TableSpec(name, constants, new GroupSpec(key, 1, k + 1, stride), points(g, area, addresses(g, at), 0,
                        enclosing, name, served)));
            }
        }
        for (int j = 0; j < g.groups().size(); j++) {
            SunSpecModel.Group h = g.groups().get(j);
            GroupShape inner = shape.groups().get(j);
            int offset = g.pointRegisters();
            for (int i = 0; i < j; i++) {
                offset += shape.groups().get(i).count() * shape.groups().get(i).instanceRegisters(g.groups().get(i));
            }
            for (int k = 0; k < count; k++) {
                int instance = start + k * stride;
                Map<String, Integer> outer = new LinkedHashMap<>(constants);
                outer.put(key, k + 1);
                List<Map<String, Integer>> scopes = new ArrayList<>();
                scopes.add(addresses(g, instance));
                scopes.addAll(enclosing);
                emitGroup(h, inner, name, g.name(), outer, instance + offset, scopes, area, served, out);
            }
        }
    }

    private static Map<String, Integer> addresses(SunSpecModel.Group g, int start) {
        Map<String, Integer> at = new LinkedHashMap<>();
        int a = start;
        for (SunSpecModel.Point p : g.points()) {
            at.put(p.name(), a);
            a += p.size();
        }
        return at;
    }

    /**
     * The stored points of a group: {@code own} holds their addresses in the first instance,
     * {@code stride} the distance between instances (0: not repeated), {@code enclosing} the
     * absolute addresses of the enclosing groups' points, innermost first (for scale factors).
     */
    private static List<PointSpec> points(SunSpecModel.Group g, Area area, Map<String, Integer> own, int stride,
            List<Map<String, Integer>> enclosing, String table, Served served) {
        List<PointSpec> points = new ArrayList<>();
        for (SunSpecModel.Point p : g.points()) {
            if (p.type() == SunSpecType.PAD || (enclosing.isEmpty() && (p.name().equals("ID") || p.name().equals("L")))) {
                continue;
            }
            if (p.name().equals(MODEL_INDEX) || p.name().endsWith("_INDEX") && p.name().equals(p.name().toUpperCase(Locale.ROOT))
                    || p.name().equals("TIMESTAMP") || p.name().equals("SITE_ID")) {
                throw new SunSpecException("table '" + table + "': point '" + p.name() + "' collides with a key column");
            }
            PointSpec.ScaleFactor sf = null;
            if (p.sfConstant() != null) {
                sf = PointSpec.ScaleFactor.constant(p.sfConstant());
            } else if (p.sf() != null) {
                sf = scaleFactor(p.sf(), own, stride, enclosing);
            }
            SqlType sqlType = sf != null ? SqlType.FLOAT8 : p.type().sqlType();
            if (served != null && (!served.test(own.get(p.name()), p.size())
                    || sf != null && !sf.isConstant() && !served.test(sf.address(), 1))) {
                continue; // not served by this device: the column stays NULL
            }
            points.add(new PointSpec(p.name(), area, own.get(p.name()), stride, p.type().pointType(), 0, Endianness.BIG, Endianness.BIG,
                    1.0, 0.0, null, null, false, sqlType, p.size(), sf, p.type().absent()));
        }
        return points;
    }

    /** A scale factor in the point's own group moves with its instance; one in an enclosing group does not. */
    private static PointSpec.ScaleFactor scaleFactor(String name, Map<String, Integer> own, int stride,
            List<Map<String, Integer>> enclosing) {
        if (own.containsKey(name)) {
            return new PointSpec.ScaleFactor(null, own.get(name), stride, name);
        }
        for (Map<String, Integer> scope : enclosing) {
            if (scope.containsKey(name)) {
                return new PointSpec.ScaleFactor(null, scope.get(name), 0, name);
            }
        }
        throw new SunSpecException("scale factor '" + name + "' not found (the model file was validated: a gateway bug)");
    }

    /** {@code sunspec_} + the model name in lower case with anything but letters, digits and _ as _. */
    public static String tableName(SunSpecModel model) {
        return truncate(PREFIX + identifier(model.name()));
    }

    /** A group's name without its model's name in front: 804's {@code lithium_ion_string_module} → {@code module}. */
    static String groupSuffix(String modelName, String groupName) {
        String model = identifier(modelName);
        String group = identifier(groupName);
        if (group.startsWith(model + "_") && group.length() > model.length() + 1) {
            return group.substring(model.length() + 1);
        }
        return group;
    }

    private static String identifier(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    private static String truncate(String name) {
        return name.length() <= MAX_IDENTIFIER ? name : name.substring(0, MAX_IDENTIFIER);
    }
}
