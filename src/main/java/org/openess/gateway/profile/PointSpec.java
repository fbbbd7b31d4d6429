package org.openess.gateway.profile;

/**
 * One stored value: where it is read, how it is decoded and where it goes. For grouped tables
 * {@code address} is the first instance's address and {@code stride} the distance between
 * instances. Validated: every field here is legal and consistent.
 * <p>
 * Three fields only SunSpec discovery sets (profile files leave them at their neutral values):
 * {@code size}, the registers of a {@link PointType#STRING}; {@code scaleFactor}, a power-of-ten
 * exponent read from another register in the same cycle (or a constant) that replaces
 * {@code scale}; {@code absent}, the raw bits that mean "not implemented" (stored as NULL, not
 * counted as a quality event; for floats any NaN).
 */
public record PointSpec(
        String column,
        Area area,
        int address,
        int stride,
        PointType type,
        int bit,
        Endianness wordOrder,
        Endianness byteOrder,
        double scale,
        double offset,
        Double min,
        Double max,
        boolean invert,
        SqlType sqlType,
        int size,
        ScaleFactor scaleFactor,
        Long absent) {

    /** A point of a profile file: no SunSpec scale factor, no "not implemented" value. */
    public PointSpec(String column, Area area, int address, int stride, PointType type, int bit, Endianness wordOrder,
            Endianness byteOrder, double scale, double offset, Double min, Double max, boolean invert, SqlType sqlType) {
        this(column, area, address, stride, type, bit, wordOrder, byteOrder, scale, offset, min, max, invert, sqlType, 0, null,
                null);
    }

    /**
     * A scale that is 10^exponent, either a constant or the int16 register at {@code address}
     * (plus {@code stride} per group instance when it lies in the same repeating group). The
     * register value {@code absent} (SunSpec 0x8000) means the scale factor is not implemented.
     */
    public record ScaleFactor(Integer constant, int address, int stride, String point) {
        public static final int NOT_IMPLEMENTED = 0x8000;

        public static ScaleFactor constant(int exponent) {
            return new ScaleFactor(exponent, 0, 0, null);
        }

        public boolean isConstant() {
            return constant != null;
        }

        public int addressOf(int instance) {
            return address + instance * stride;
        }
    }

    /** Address of this point in group instance {@code instance} (0-based). */
    public int addressOf(int instance) {
        return address + instance * stride;
    }

    /** Number of addresses (registers or bits) the point occupies. */
    public int length() {
        if (area.function().isBitAddressed()) {
            return 1;
        }
        return type == PointType.STRING ? size : type.registers();
    }
}
