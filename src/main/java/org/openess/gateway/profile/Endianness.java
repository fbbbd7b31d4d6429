package org.openess.gateway.profile;

/**
 * Order of words in a multi-register value ({@code word-order}) or of the two bytes inside each
 * register ({@code byte-order}). Modbus itself is big-endian inside a register; devices disagree on
 * word order, so both are declared per point (default: big/big, "ABCD").
 */
public enum Endianness {
    BIG, LITTLE;

    public static Endianness parse(String text) {
        return switch (text) {
            case "big" -> BIG;
            case "little" -> LITTLE;
            default -> null;
        };
    }
}
