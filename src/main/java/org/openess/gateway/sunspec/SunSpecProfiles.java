package org.openess.gateway.sunspec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * keyed by {@code MODEL_INDEX} and {@code <GROUP>_INDEX} (1-based), like operation1's racks;</li>
 * <li>a column per point, named as in the model ({@code SoC}, {@code SoC_SF}); {@code ID},
 * {@code L} and {@code pad} points are not stored. Points with a scale factor are float8, read
 * with the factor of the same cycle; the rest keep their type (int4/int8/float8/text).</li>
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
        List<Area> areas = new ArrayList<>();
        List<TableSpec> tables = new ArrayList<>();
        for (DiscoveredModel m : layout.models()) {
            Area area = new Area("model " + m.model().id() + "#" + m.occurrence(), FunctionCode.HOLDING_REGISTERS, m.address(),
                    m.length() + 2);
            areas.add(area);
            tables.addAll(tablesOf(m, area));
        }
        Profile profile = new Profile("sunspec", "sunspec", List.copyOf(areas), List.copyOf(tables));
        Map<String, TableLayout> byName = new LinkedHashMap<>();
        for (TableSpec t : tables) {
            byName.computeIfAbsent(t.name(), n -> intern(TableLayout.of(profile, t)));
        }
        RequestPlan plan;
        try {
            plan = RequestPlanner.plan(profile, limits);
        } catch (IllegalArgumentException e) {
            throw new SunSpecException("cannot plan the reads of " + layout.describe() + ": " + e.getMessage(), e);
        }
        return new Compiled(layout, profile, byName, new CycleDecoder(profile, plan, byName));
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

    static List<TableSpec> tablesOf(DiscoveredModel m, Area area) {
        SunSpecModel.Group top = m.model().group();
        String table = tableName(m.model());
        Map<String, Integer> constants = new LinkedHashMap<>();
        constants.put(MODEL_INDEX, m.occurrence());
        List<TableSpec> out = new ArrayList<>();
        Map<String, Integer> topAddresses = addresses(top, m.address());
        out.add(new TableSpec(table, constants, null, points(top, area, topAddresses, 0, List.of(), table)));
        int groupStart = m.address() + top.pointRegisters();
        for (int i = 0; i < top.groups().size(); i++) {
            SunSpecModel.Group g = top.groups().get(i);
            int count = m.groupCounts().get(i);
            int stride = m.instanceRegisters(i);
            String suffix = groupSuffix(top.name(), g.name());
            String name = truncate(table + "_" + suffix);
            String key = suffix.toUpperCase(Locale.ROOT) + "_INDEX";
            if (count > 0) {
                GroupSpec group = new GroupSpec(key, count, 1, stride);
                out.add(new TableSpec(name, constants, group, points(g, area, addresses(g, groupStart), stride, List.of(topAddresses),
                        name)));
                // a nested group: one table spec per outer instance, keyed by the outer index (a
                // constant of that spec) and its own index (the group key)
                int nestedStart = g.pointRegisters();
                for (int j = 0; j < g.groups().size(); j++) {
                    SunSpecModel.Group h = g.groups().get(j);
                    int d = m.nestedCounts().get(i).get(j);
                    if (d > 0) {
                        String hSuffix = groupSuffix(g.name(), h.name());
                        String hName = truncate(name + "_" + hSuffix);
                        for (int k = 0; k < count; k++) {
                            int instance = groupStart + k * stride;
                            Map<String, Integer> outer = new LinkedHashMap<>(constants);
                            outer.put(key, k + 1);
                            out.add(new TableSpec(hName, outer, new GroupSpec(hSuffix.toUpperCase(Locale.ROOT) + "_INDEX", d, 1,
                                    h.pointRegisters()), points(h, area, addresses(h, instance + nestedStart), h.pointRegisters(),
                                            List.of(addresses(g, instance), topAddresses), hName)));
                        }
                    }
                    nestedStart += d * h.pointRegisters();
                }
            }
            groupStart += count * stride;
        }
        return out;
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
            List<Map<String, Integer>> enclosing, String table) {
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
