package org.openess.gateway.decode;

/**
 * 32-bit conversions from two registers. Word order big = high word first ("ABCD"); little = low
 * word first ("CDAB"); byte order little swaps inside each word ("BADC", with both: "DCBA").
 */
public final class Conversions32 {
    private Conversions32() {
    }

    public static int bits32(int[] words, int offset, boolean wordsLittle, boolean swapBytes) {
        int w0 = Conversions16.uint16(words[offset], swapBytes);
        int w1 = Conversions16.uint16(words[offset + 1], swapBytes);
        return wordsLittle ? (w1 << 16) | w0 : (w0 << 16) | w1;
    }

    public static long int32(int[] words, int offset, boolean wordsLittle, boolean swapBytes) {
        return bits32(words, offset, wordsLittle, swapBytes);
    }

    public static long uint32(int[] words, int offset, boolean wordsLittle, boolean swapBytes) {
        return bits32(words, offset, wordsLittle, swapBytes) & 0xFFFF_FFFFL;
    }

    public static double float32(int[] words, int offset, boolean wordsLittle, boolean swapBytes) {
        return Float.intBitsToFloat(bits32(words, offset, wordsLittle, swapBytes));
    }
}
