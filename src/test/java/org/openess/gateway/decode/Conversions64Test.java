package org.openess.gateway.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openess.gateway.testsupport.UnitTest;

/**
 * 64-bit conversions: word order big = most significant word first ("ABCDEFGH"), little = least
 * significant first ("GHEFCDAB"); byte order little swaps the bytes of each word.
 */
@UnitTest
class Conversions64Test {

    private static int[] words(String text) {
        String[] parts = text.trim().split("\\s+");
        int[] w = new int[parts.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = Integer.decode(parts[i]);
        }
        return w;
    }

    @ParameterizedTest(name = "{0} words={1} bytes={2} -> int64 {3}, uint64 {4}")
    @CsvSource({
            // words,                              words little, bytes little, int64, uint64 as text
            "0xEEDD 0xEF0B 0x8216 0x7EEB, false, false, -1234567890123456789, 17212176183586094827",
            "0x7EEB 0x8216 0xEF0B 0xEEDD, true,  false, -1234567890123456789, 17212176183586094827",
            "0xDDEE 0x0BEF 0x1682 0xEB7E, false, true,  -1234567890123456789, 17212176183586094827",
            "0xEB7E 0x1682 0x0BEF 0xDDEE, true,  true,  -1234567890123456789, 17212176183586094827",
            "0x0000 0x0000 0x0000 0x0000, false, false, 0,                    0",
            "0x0000 0x0000 0x0000 0x0001, false, false, 1,                    1",
            "0x0001 0x0000 0x0000 0x0000, true,  false, 1,                    1",
            "0x0000 0x0000 0x0000 0x0100, false, true,  1,                    1",
            "0x0001 0x0000 0x0000 0x0000, false, false, 281474976710656,      281474976710656",
            "0x0020 0x0000 0x0000 0x0001, false, false, 9007199254740993,     9007199254740993",
            "0x7FFF 0xFFFF 0xFFFF 0xFFFF, false, false, 9223372036854775807,  9223372036854775807",
            "0x8000 0x0000 0x0000 0x0000, false, false, -9223372036854775808, 9223372036854775808",
            "0x8000 0x0000 0x0000 0x0800, false, false, -9223372036854773760, 9223372036854777856",
            "0x0800 0x0000 0x0000 0x8000, true,  false, -9223372036854773760, 9223372036854777856",
            "0xFFFF 0xFFFF 0xFFFF 0xFFFF, false, false, -1,                   18446744073709551615",
            "0xFFFF 0xFFFF 0xFFFF 0xFFFE, false, false, -2,                   18446744073709551614",
    })
    void convertsIntegers(String text, boolean little, boolean swap, long int64, String uint64) {
        int[] w = words(text);
        assertEquals(int64, Conversions64.int64(w, 0, little, swap));
        assertEquals(int64, Conversions64.bits64(w, 0, little, swap));
        assertEquals(Long.toUnsignedString(int64), uint64);
        // the double nearest the unsigned value
        assertEquals(new BigInteger(uint64).doubleValue(), Conversions64.uint64AsDouble(w, 0, little, swap));
    }

    @ParameterizedTest(name = "{0} words={1} bytes={2} -> float64 {3}")
    @CsvSource({
            "0xC0F8 0x1CD6 0xE9E1 0xB08A, false, false, -98765.4321",
            "0xB08A 0xE9E1 0x1CD6 0xC0F8, true,  false, -98765.4321",
            "0xF8C0 0xD61C 0xE1E9 0x8AB0, false, true,  -98765.4321",
            "0x8AB0 0xE1E9 0xD61C 0xF8C0, true,  true,  -98765.4321",
            "0x3FF0 0x0000 0x0000 0x0000, false, false, 1.0",
            "0x3FB9 0x9999 0x9999 0x999A, false, false, 0.1",
            "0x0000 0x0000 0x0000 0x0000, false, false, 0.0",
            "0x8000 0x0000 0x0000 0x0000, false, false, -0.0",
            "0x7FEF 0xFFFF 0xFFFF 0xFFFF, false, false, 1.7976931348623157E308",
            "0x0000 0x0000 0x0000 0x0001, false, false, 4.9E-324",
            "0x7FF0 0x0000 0x0000 0x0000, false, false, Infinity",
            "0x0000 0x0000 0x0000 0xFFF0, true,  false, -Infinity",
            "0x7FF8 0x0000 0x0000 0x0000, false, false, NaN",
    })
    void convertsFloats(String text, boolean little, boolean swap, double expected) {
        assertEquals(expected, Conversions64.float64(words(text), 0, little, swap));
    }

    @ParameterizedTest(name = "uint64 {0} -> nearest double {1}")
    @CsvSource({
            // below 2^53 exact
            "9007199254740991, 9007199254740991",
            // 2^54 + 3 lies 1 from 2^54 + 4 and 3 from 2^54: the nearest double is 2^54 + 4
            "18014398509481987, 18014398509481988",
            // 2^63 + 3073 is nearer 2^63 + 4096 than 2^63 + 2048
            "9223372036854778881, 9223372036854779904",
            "18446744073709551615, 18446744073709551616",
    })
    void uint64RoundsToTheNearestDouble(String unsigned, String nearest) {
        long bits = Long.parseUnsignedLong(unsigned);
        int[] w = { (int) (bits >>> 48) & 0xFFFF, (int) (bits >>> 32) & 0xFFFF, (int) (bits >>> 16) & 0xFFFF, (int) bits & 0xFFFF };
        assertEquals(new BigInteger(nearest).doubleValue(), Conversions64.uint64AsDouble(w, 0, false, false));
    }

    @Test
    void uint64AsDoubleIsCorrectlyRoundedForRandomValues() {
        Random random = new Random(64);
        for (int i = 0; i < 100_000; i++) {
            long bits = random.nextLong() >>> random.nextInt(12);
            int[] w = { (int) (bits >>> 48) & 0xFFFF, (int) (bits >>> 32) & 0xFFFF, (int) (bits >>> 16) & 0xFFFF, (int) bits & 0xFFFF };
            double expected = new BigInteger(Long.toUnsignedString(bits)).doubleValue();
            assertEquals(expected, Conversions64.uint64AsDouble(w, 0, false, false), () -> Long.toUnsignedString(bits));
        }
    }
}
