package org.openess.gateway.profile;

/**
 * One stored value: where it is read, how it is decoded and where it goes. For grouped tables
 * {@code address} is the first instance's address and {@code stride} the distance between
 * instances. Validated: every field here is legal and consistent.
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
        SqlType sqlType) {

    /** Address of this point in group instance {@code instance} (0-based). */
    public int addressOf(int instance) {
        return address + instance * stride;
    }

    /** Number of addresses (registers or bits) the point occupies. */
    public int length() {
        return area.function().isBitAddressed() ? 1 : type.registers();
    }
}
