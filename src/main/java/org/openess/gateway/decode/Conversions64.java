package org.openess.gateway.decode;

/**
 * 64-bit conversions from four registers. Word order big = most significant word first
 * ("ABCDEFGH"); little = least significant first ("GHEFCDAB"); byte order little swaps inside words.
 */
public final class Conversions64 {
    private Conversions64() {
    }

    public static long bits64(int[] words, int offset, boolean wordsLittle, boolean swapBytes) {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            int w = Conversions16.uint16(words[offset + (wordsLittle ? 3 - i : i)], swapBytes);
            v = (v << 16) | w;
        }
        return v;
    }

    public static long int64(int[] words, int offset, boolean wordsLittle, boolean swapBytes) {
        return bits64(words, offset, wordsLittle, swapBytes);
    }

    /** Unsigned 64-bit as the nearest double (exact up to 2^53). */
    public static double uint64AsDouble(int[] words, int offset, boolean wordsLittle, boolean swapBytes) {
        long bits = bits64(words, offset, wordsLittle, swapBytes);
        if (bits >= 0) {
            return bits;
        }
        // halve keeping the lowest bit as a sticky bit, so the one rounding step stays correct
        return (double) ((bits >>> 1) | (bits & 1L)) * 2.0;
    }

    public static double float64(int[] words, int offset, boolean wordsLittle, boolean swapBytes) {
        return Double.longBitsToDouble(bits64(words, offset, wordsLittle, swapBytes));
    }
}
