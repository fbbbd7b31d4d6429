package org.openess.gateway.decode;

/** Bits: one bit of a register, a register read as a flag, and coils/discrete inputs (0 or 1). */
public final class BitConversions {
    private BitConversions() {
    }

    /** Bit {@code bit} (0 = least significant) of the register value as the device sent it. */
    public static int bit(int word, int bit) {
        return (word >>> bit) & 1;
    }

    public static int flag(int wordOrBit) {
        return wordOrBit != 0 ? 1 : 0;
    }

    /** 0 becomes 1 and 1 becomes 0; any other value (2, 3: "unknown" states) is left alone. */
    public static long invert01(long value) {
        return value == 0 ? 1 : value == 1 ? 0 : value;
    }
}
