package org.openess.gateway.profile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.openess.gateway.profile.ProtectionSection.Flag;
import org.openess.gateway.profile.ProtectionSection.Limit;
import org.openess.gateway.profile.ProtectionSection.When;

/**
 * Checks the operator-facing sections of a profile (units, {@code protection:}, {@code overview:})
 * against its tables and resolves them; errors name the source and the entry like the register map's.
 */
final class ProfileSectionsValidator {
    private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_]{0,62}");
    private static final double MAX_DELAY_SECONDS = 3600;

    private final String source;
    private final List<TableSpec> tables;

    ProfileSectionsValidator(String source, List<TableSpec> tables) {
        this.source = source;
        this.tables = tables;
    }

    Map<String, Map<String, String>> units(ProfileFile file) {
        Map<String, Map<String, String>> units = new HashMap<>();
        for (ProfileFile.TableEntry t : file.tables) {
            if (t.points == null) {
                continue;
            }
            for (ProfileFile.PointEntry p : t.points) {
                if (p != null && p.unit != null) {
                    if (p.unit.isBlank() || p.unit.length() > 16) {
                        throw fail("table '" + t.name + "' point '" + p.column + "'", "'unit' must be 1..16 characters, got '" + p.unit + "'");
                    }
                    units.computeIfAbsent(t.name, k -> new HashMap<>()).put(p.column, p.unit);
                }
            }
        }
        return units;
    }

    ProtectionSection protection(ProfileFile.ProtectionEntry entry) {
        boolean defaults = true;
        double on = ProtectionSection.DEFAULT_ON_DELAY_SECONDS;
        double off = ProtectionSection.DEFAULT_OFF_DELAY_SECONDS;
        if (entry != null) {
            if (entry.defaults != null && !entry.defaults.equals("openess") && !entry.defaults.equals("none")) {
                throw fail("protection", "'defaults' must be openess or none, got '" + entry.defaults + "'");
            }
            defaults = !"none".equals(entry.defaults);
            on = delay("protection.on-delay", entry.onDelay, on);
            off = delay("protection.off-delay", entry.offDelay, off);
        }
        Map<String, Limit> limits = new LinkedHashMap<>();
        Map<String, Flag> flags = new LinkedHashMap<>();
        if (defaults) {
            OpenEssProtectionMap.LIMITS.stream().filter(l -> hasPoint(l.table(), l.column())).forEach(l -> limits.put(l.code(), l));
            OpenEssProtectionMap.FLAGS.stream().filter(f -> hasPoint(f.table(), f.column())).forEach(f -> flags.put(f.code(), f));
        }
        if (entry != null && entry.limits != null) {
            for (int i = 0; i < entry.limits.size(); i++) {
                limit("protection.limits[" + i + "]", entry.limits.get(i), limits, flags);
            }
        }
        if (entry != null && entry.flags != null) {
            for (int i = 0; i < entry.flags.size(); i++) {
                flag("protection.flags[" + i + "]", entry.flags.get(i), limits, flags);
            }
        }
        return new ProtectionSection(on, off, List.copyOf(limits.values()), List.copyOf(flags.values()));
    }

    private void limit(String where, ProfileFile.LimitEntry e, Map<String, Limit> limits, Map<String, Flag> flags) {
        if (e == null || e.code == null || !CODE.matcher(e.code).matches()) {
            throw fail(where, "'code' is required: upper-case letters, digits and _ (e.g. CELL_OVER_VOLTAGE), got '"
                    + (e == null ? null : e.code) + "'");
        }
        where = "protection limit '" + e.code + "'";
        if (flags.containsKey(e.code)) {
            throw fail(where, "code already used by a flag rule");
        }
        if (Boolean.FALSE.equals(e.enabled)) {
            limits.remove(e.code);
            return;
        }
        Limit base = limits.get(e.code);
        String table = e.table != null ? e.table : base == null ? null : base.table();
        String column = e.column != null ? e.column : base == null ? null : base.column();
        if (table == null || column == null) {
            throw fail(where, "'table' and 'column' are required (the code is not one of the defaults: "
                    + OpenEssProtectionMap.LIMITS.stream().map(Limit::code).toList() + ")");
        }
        checkPoint(where, table, column);
        When when;
        if (e.when != null) {
            when = switch (e.when) {
                case "above" -> When.ABOVE;
                case "below" -> When.BELOW;
                case "magnitude-above" -> When.MAGNITUDE_ABOVE;
                default -> throw fail(where, "'when' must be above, below or magnitude-above, got '" + e.when + "'");
            };
        } else if (base != null) {
            when = base.when();
        } else {
            throw fail(where, "'when' is required: above, below or magnitude-above");
        }
        Double warning = e.warning != null ? e.warning : base == null ? null : base.warning();
        Double fault = e.fault != null ? e.fault : base == null ? null : base.fault();
        if (warning == null && fault == null) {
            throw fail(where, "needs a 'warning' or a 'fault' limit (or both)");
        }
        finite(where, "warning", warning);
        finite(where, "fault", fault);
        if (warning != null && fault != null) {
            boolean ordered = when == When.BELOW ? fault <= warning : fault >= warning;
            if (!ordered) {
                throw fail(where, "the fault limit " + fault + " must lie beyond the warning limit " + warning + " ("
                        + (when == When.BELOW ? "fault <= warning for 'below'" : "fault >= warning for '" + when.yaml() + "'") + ")");
            }
        }
        if (when == When.MAGNITUDE_ABOVE && ((warning != null && warning < 0) || (fault != null && fault < 0))) {
            throw fail(where, "magnitude-above limits must not be negative");
        }
        double deadband = e.deadband != null ? e.deadband : base == null ? 0 : base.deadband();
        if (!(deadband >= 0) || Double.isInfinite(deadband)) {
            throw fail(where, "'deadband' must be 0 or more, got " + e.deadband);
        }
        limits.put(e.code, new Limit(e.code, table, column, when, warning, fault, deadband));
    }

    private void flag(String where, ProfileFile.FlagEntry e, Map<String, Limit> limits, Map<String, Flag> flags) {
        if (e == null || e.code == null || !CODE.matcher(e.code).matches()) {
            throw fail(where, "'code' is required: upper-case letters, digits and _, got '" + (e == null ? null : e.code) + "'");
        }
        where = "protection flag '" + e.code + "'";
        if (limits.containsKey(e.code)) {
            throw fail(where, "code already used by a limit rule");
        }
        if (Boolean.FALSE.equals(e.enabled)) {
            flags.remove(e.code);
            return;
        }
        Flag base = flags.get(e.code);
        String table = e.table != null ? e.table : base == null ? null : base.table();
        String column = e.column != null ? e.column : base == null ? null : base.column();
        String level = e.level != null ? e.level : base == null ? null : base.level();
        if (table == null || column == null) {
            throw fail(where, "'table' and 'column' are required");
        }
        checkPoint(where, table, column);
        if (!"warning".equals(level) && !"fault".equals(level)) {
            throw fail(where, "'level' must be warning or fault, got '" + level + "'");
        }
        flags.put(e.code, new Flag(e.code, table, column, level));
    }

    OverviewSection overview(ProfileFile.OverviewEntry e) {
        if (e == null) {
            String t = "bank";
            return new OverviewSection(t, present(t, "BANK_SOC"), present(t, "BANK_DC_VOLT"), present(t, "BANK_DC_CURRENT"),
                    present(t, "BANK_POWER"), present(t, "MAX_CELL_TEMPERATURE_OF_BANK"), present(t, "MIN_CELL_TEMPERATURE_OF_BANK"));
        }
        if (e.table == null || tables.stream().noneMatch(t -> t.name().equals(e.table))) {
            throw fail("overview", "'table' must name a table of this profile, got '" + e.table + "'");
        }
        List<String> columns = new ArrayList<>();
        for (String c : new String[] { e.soc, e.dcVoltage, e.dcCurrent, e.power, e.maxCellTemperature, e.minCellTemperature }) {
            if (c != null) {
                checkPoint("overview", e.table, c);
                columns.add(c);
            }
        }
        return new OverviewSection(e.table, e.soc, e.dcVoltage, e.dcCurrent, e.power, e.maxCellTemperature, e.minCellTemperature);
    }

    private String present(String table, String column) {
        return hasPoint(table, column) ? column : null;
    }

    private boolean hasPoint(String table, String column) {
        return tables.stream().anyMatch(t -> t.name().equals(table) && t.points().stream().anyMatch(p -> p.column().equals(column)));
    }

    private void checkPoint(String where, String table, String column) {
        TableSpec t = tables.stream().filter(x -> x.name().equals(table)).findFirst().orElse(null);
        if (t == null) {
            throw fail(where, "no table '" + table + "' in this profile (tables: " + tables.stream().map(TableSpec::name).toList() + ")");
        }
        if (t.points().stream().noneMatch(p -> p.column().equals(column))) {
            throw fail(where, "table '" + table + "' has no point column '" + column + "'");
        }
    }

    private double delay(String where, Double value, double dflt) {
        if (value == null) {
            return dflt;
        }
        if (!(value >= 0 && value <= MAX_DELAY_SECONDS)) {
            throw fail(where, "must be 0.." + (int) MAX_DELAY_SECONDS + " seconds, got " + value);
        }
        return value;
    }

    private void finite(String where, String what, Double v) {
        if (v != null && !Double.isFinite(v)) {
            throw fail(where, "'" + what + "' must be a finite number");
        }
    }

    private ProfileException fail(String where, String message) {
        return new ProfileException(source + ": " + where + ": " + message);
    }
}
