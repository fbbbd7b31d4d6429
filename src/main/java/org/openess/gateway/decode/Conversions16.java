package org.openess.gateway.decode;

/** 16-bit conversions. Words arrive as 0..65535 (Modbus big-endian within the register). */
public final class Conversions16 {
    private Conversions16() {
    }

    /** Swaps the two bytes of a register ({@code byte-order: little}). */
    public static int swapBytes(int word) {
        return ((word & 0xFF) << 8) | ((word >>> 8) & 0xFF);
    }

    public static int uint16(int word, boolean swapBytes) {
        return swapBytes ? swapBytes(word) : word & 0xFFFF;
    }

    /** Two's complement: 0xFFFF is -1, 0x8000 is -32768. Only int16 points are signed this way. */
    public static int int16(int word, boolean swapBytes) {
        return (short) uint16(word, swapBytes);
    }
}
