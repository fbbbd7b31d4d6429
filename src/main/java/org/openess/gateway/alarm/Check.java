package org.openess.gateway.alarm;

import org.openess.gateway.profile.ProtectionSection.When;

/**
 * One level of one rule, compiled against a table layout: where the value is and when it counts
 * as beyond the limit or back inside it. The deadband lies on the safe side of the limit, so a
 * value hovering at the limit keeps an active alarm active instead of ending and raising it again.
 */
record Check(String code, String level, int columnIndex, String column, String unit, When when, double limit, double deadband,
        boolean flag, long mask) {

    /** A device flag: active while the column is not 0. */
    static Check flag(String code, String level, int columnIndex, String column) {
        return new Check(code, level, columnIndex, column, null, null, 0, 0, true, 0);
    }

    /** One bit of a bitfield column (a SunSpec event bit): active while that bit is set. */
    static Check bit(String code, String level, int columnIndex, String column, int bit) {
        return new Check(code, level, columnIndex, column, null, null, 0, 0, true, 1L << bit);
    }

    private boolean set(double v) {
        return mask == 0 ? v != 0 : ((long) v & mask) != 0;
    }

    boolean exceeded(double v) {
        if (flag) {
            return set(v);
        }
        return switch (when) {
            case ABOVE -> v > limit;
            case BELOW -> v < limit;
            case MAGNITUDE_ABOVE -> Math.abs(v) > limit;
        };
    }

    boolean cleared(double v) {
        if (flag) {
            return !set(v);
        }
        return switch (when) {
            case ABOVE -> v <= limit - deadband;
            case BELOW -> v >= limit + deadband;
            case MAGNITUDE_ABOVE -> Math.abs(v) <= limit - deadband;
        };
    }

    /** The worse of two values in this rule's direction. */
    double worst(double a, double b) {
        if (Double.isNaN(a)) {
            return b;
        }
        if (flag) {
            return Math.max(a, b);
        }
        return switch (when) {
            case ABOVE -> Math.max(a, b);
            case BELOW -> Math.min(a, b);
            case MAGNITUDE_ABOVE -> Math.abs(a) >= Math.abs(b) ? a : b;
        };
    }

    String describe(double v, String where) {
        String u = unit == null ? "" : " " + unit;
        if (flag && mask != 0) {
            return where + ": " + column + " bit " + Long.numberOfTrailingZeros(mask) + " " + code + " is set (" + column + " = "
                    + fmt(v) + ")";
        }
        if (flag) {
            return where + ": device flag " + column + " is set (" + fmt(v) + ")";
        }
        String dir = switch (when) {
            case ABOVE -> "above";
            case BELOW -> "below";
            case MAGNITUDE_ABOVE -> "magnitude above";
        };
        return where + ": " + column + " " + fmt(v) + u + " " + dir + " the " + level + " limit " + fmt(limit) + u;
    }

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(Math.round(v * 1e4) / 1e4);
    }
}
