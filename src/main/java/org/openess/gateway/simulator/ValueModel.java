package org.openess.gateway.simulator;

import org.openess.gateway.profile.PointSpec;
import org.openess.gateway.profile.PointType;
import org.openess.gateway.profile.SqlType;

/**
 * Plausible engineering values for a simulated ESS, chosen from the column name: SOC drifting
 * over an hour, current and power changing sign every ten minutes, cell voltages near 3.7 V,
 * temperatures near 28 °C, rare status flags. A pure function of (device, point, instance,
 * second) using StrictMath, so a test can recompute exactly what a device served at any second.
 */
public final class ValueModel {
    private ValueModel() {
    }

    public static double value(PointSpec point, int device, int instance, long second) {
        String name = point.column().toUpperCase();
        double phase = (mix(device, instance, name.hashCode()) & 0xFFFF) / 65536.0 * 2 * Math.PI;
        double slow = StrictMath.sin(2 * Math.PI * second / 3600.0 + phase);
        double swing = StrictMath.sin(2 * Math.PI * second / 600.0 + phase);
        double wobble = StrictMath.sin(2 * Math.PI * second / 17.0 + phase);
        boolean flag = point.type() == PointType.BIT || point.type() == PointType.BOOL
                || (point.sqlType() == SqlType.INT4 && point.max() != null && point.max() <= 3)
                || name.contains("STATUS") || name.contains("PROTECTION") || name.contains("CONTROL");
        if (flag) {
            // a flag changes at most once a minute and is set about 3 % of the time
            long h = mix(device, instance, name.hashCode() * 31L + second / 60);
            return (h & 0xFF) < 8 ? 1 : 0;
        }
        if (name.contains("SOC")) {
            return 55 + 30 * slow + 0.2 * wobble;
        }
        if (name.contains("SOH")) {
            return 97 + 0.5 * slow;
        }
        if (name.contains("POSITION")) {
            return 1 + Math.floorMod(mix(device, instance, name.hashCode() + second / 30), 200);
        }
        if (name.contains("CELL_VOLTAGE_GAP")) {
            return 0.03 + 0.01 * wobble;
        }
        if (name.contains("CELL_VOLTAGE") || name.contains("CELL_VOLT")) {
            return (name.contains("MIN") ? 3.65 : name.contains("MAX") ? 3.75 : 3.7) + 0.15 * slow + 0.005 * wobble;
        }
        if (name.contains("TEMPERATURE_GAP")) {
            return 3 + wobble;
        }
        if (name.contains("TEMP")) {
            return (name.contains("MIN") ? 25 : name.contains("MAX") ? 31 : 28) + 5 * slow + 0.3 * wobble;
        }
        if (name.contains("HUMIDITY")) {
            return 50 + 10 * slow;
        }
        if (name.contains("FREQUENCY")) {
            return 60 + 0.05 * wobble;
        }
        if (name.contains("THD")) {
            return 3 + wobble;
        }
        if (name.contains("FACTOR")) {
            return 0.98 + 0.01 * wobble;
        }
        if (name.contains("CURRENT")) {
            return 80 * swing + 2 * wobble;
        }
        if (name.contains("ENERGY") || name.contains("CUMLUATIVE") || name.contains("GENERATION")) {
            return (second / 10 + device * 1000L) % 60_000 / 10.0;
        }
        if (name.contains("POWER")) {
            return 250 * swing + 5 * wobble;
        }
        if (name.contains("VOLT")) {
            return (name.startsWith("AC") || name.contains("_L") ? 380 : 760) + 20 * slow + wobble;
        }
        if (name.startsWith("SET_")) {
            return 100;
        }
        if (point.min() != null && point.max() != null) {
            return point.min() + (point.max() - point.min()) * (0.5 + 0.25 * slow);
        }
        return 10 + 5 * slow;
    }

    /** A stable 64-bit hash of three numbers (SplitMix64 finaliser). */
    static long mix(long a, long b, long c) {
        long z = a * 0x9E3779B97F4A7C15L + b * 0xBF58476D1CE4E5B9L + c * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
