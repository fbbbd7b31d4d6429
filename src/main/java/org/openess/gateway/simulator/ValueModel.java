package org.openess.gateway.simulator;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.openess.gateway.profile.PointSpec;
import org.openess.gateway.profile.PointType;
import org.openess.gateway.profile.SqlType;

/**
 * Plausible engineering values for a simulated ESS, chosen from the column name: SOC drifting
 * over an hour, current and power changing sign every ten minutes, cell voltages near 3.7 V,
 * temperatures near 28 °C, rare status flags. A pure function of (device, point, instance,
 * second) using StrictMath, so a test can recompute exactly what a device served at any second.
 * The name is classified once per column (cached), and only the sines a value uses are computed:
 * a thousand devices recompute half a million values a second.
 */
public final class ValueModel {
    private ValueModel() {
    }

    /** What a column name says about its value; classified once per name, not once per value. */
    private enum Kind { SOC, SOH, POSITION, CELL_VOLTAGE_GAP, CELL_VOLTAGE, TEMPERATURE_GAP, TEMPERATURE, HUMIDITY, FREQUENCY,
        THD, FACTOR, CURRENT, ENERGY, POWER, VOLTAGE, SETPOINT, OTHER }

    private record NameInfo(int hash, boolean flagByName, Kind kind, double base) {
    }

    private static final Map<String, NameInfo> NAMES = new ConcurrentHashMap<>();

    private static NameInfo classify(String column) {
        String name = column.toUpperCase();
        boolean flagByName = name.contains("STATUS") || name.contains("PROTECTION") || name.contains("CONTROL");
        Kind kind;
        double base = 0;
        if (name.contains("SOC")) {
            kind = Kind.SOC;
        } else if (name.contains("SOH")) {
            kind = Kind.SOH;
        } else if (name.contains("POSITION")) {
            kind = Kind.POSITION;
        } else if (name.contains("CELL_VOLTAGE_GAP")) {
            kind = Kind.CELL_VOLTAGE_GAP;
        } else if (name.contains("CELL_VOLTAGE") || name.contains("CELL_VOLT")) {
            kind = Kind.CELL_VOLTAGE;
            base = name.contains("MIN") ? 3.65 : name.contains("MAX") ? 3.75 : 3.7;
        } else if (name.contains("TEMPERATURE_GAP")) {
            kind = Kind.TEMPERATURE_GAP;
        } else if (name.contains("TEMP")) {
            kind = Kind.TEMPERATURE;
            base = name.contains("MIN") ? 25 : name.contains("MAX") ? 31 : 28;
        } else if (name.contains("HUMIDITY")) {
            kind = Kind.HUMIDITY;
        } else if (name.contains("FREQUENCY")) {
            kind = Kind.FREQUENCY;
        } else if (name.contains("THD")) {
            kind = Kind.THD;
        } else if (name.contains("FACTOR")) {
            kind = Kind.FACTOR;
        } else if (name.contains("CURRENT")) {
            kind = Kind.CURRENT;
        } else if (name.contains("ENERGY") || name.contains("CUMLUATIVE") || name.contains("GENERATION")) {
            kind = Kind.ENERGY;
        } else if (name.contains("POWER")) {
            kind = Kind.POWER;
        } else if (name.contains("VOLT")) {
            kind = Kind.VOLTAGE;
            base = name.startsWith("AC") || name.contains("_L") ? 380 : 760;
        } else if (name.startsWith("SET_")) {
            kind = Kind.SETPOINT;
        } else {
            kind = Kind.OTHER;
        }
        return new NameInfo(name.hashCode(), flagByName, kind, base);
    }

    public static double value(PointSpec point, int device, int instance, long second) {
        // get first: computeIfAbsent locks the bin when the name is not its first entry
        NameInfo info = NAMES.get(point.column());
        if (info == null) {
            info = NAMES.computeIfAbsent(point.column(), ValueModel::classify);
        }
        int nameHash = info.hash();
        boolean flag = point.type() == PointType.BIT || point.type() == PointType.BOOL
                || (point.sqlType() == SqlType.INT4 && point.max() != null && point.max() <= 3) || info.flagByName();
        if (flag) {
            // a flag changes at most once a minute and is set about 3 % of the time
            long h = mix(device, instance, nameHash * 31L + second / 60);
            return (h & 0xFF) < 8 ? 1 : 0;
        }
        switch (info.kind()) {
            case POSITION:
                return 1 + Math.floorMod(mix(device, instance, nameHash + second / 30), 200);
            case ENERGY:
                return (second / 10 + device * 1000L) % 60_000 / 10.0;
            case SETPOINT:
                return 100;
            default:
                break;
        }
        double phase = (mix(device, instance, nameHash) & 0xFFFF) / 65536.0 * 2 * Math.PI;
        switch (info.kind()) {
            case CELL_VOLTAGE_GAP:
                return 0.03 + 0.01 * wobble(second, phase);
            case TEMPERATURE_GAP:
            case THD:
                return 3 + wobble(second, phase);
            case FREQUENCY:
                return 60 + 0.05 * wobble(second, phase);
            case FACTOR:
                return 0.98 + 0.01 * wobble(second, phase);
            case CURRENT:
                return 80 * swing(second, phase) + 2 * wobble(second, phase);
            case POWER:
                return 250 * swing(second, phase) + 5 * wobble(second, phase);
            default:
                break;
        }
        double slow = StrictMath.sin(2 * Math.PI * second / 3600.0 + phase);
        return switch (info.kind()) {
            case SOC -> 55 + 30 * slow + 0.2 * wobble(second, phase);
            case SOH -> 97 + 0.5 * slow;
            case CELL_VOLTAGE -> info.base() + 0.15 * slow + 0.005 * wobble(second, phase);
            case TEMPERATURE -> info.base() + 5 * slow + 0.3 * wobble(second, phase);
            case HUMIDITY -> 50 + 10 * slow;
            case VOLTAGE -> info.base() + 20 * slow + wobble(second, phase);
            default -> point.min() != null && point.max() != null ? point.min() + (point.max() - point.min()) * (0.5 + 0.25 * slow)
                    : 10 + 5 * slow;
        };
    }

    private static double swing(long second, double phase) {
        return StrictMath.sin(2 * Math.PI * second / 600.0 + phase);
    }

    private static double wobble(long second, double phase) {
        return StrictMath.sin(2 * Math.PI * second / 17.0 + phase);
    }

    /** A stable 64-bit hash of three numbers (SplitMix64 finaliser). */
    static long mix(long a, long b, long c) {
        long z = a * 0x9E3779B97F4A7C15L + b * 0xBF58476D1CE4E5B9L + c * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
