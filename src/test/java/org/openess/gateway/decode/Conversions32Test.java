package org.openess.gateway.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openess.gateway.testsupport.UnitTest;

/**
 * 32-bit conversions in the four orders: ABCD (words big, bytes big), CDAB (words little),
 * BADC (bytes swapped), DCBA (both). Words are given as the device sends them.
 */
@UnitTest
class Conversions32Test {

    @ParameterizedTest(name = "{0} {1} {2} -> int32 {3}, uint32 {4}")
    @CsvSource({
            // order, w0,    w1,     int32,        uint32
            "ABCD, 0xF8A4, 0x32EB, -123456789,  4171510507",
            "CDAB, 0x32EB, 0xF8A4, -123456789,  4171510507",
            "BADC, 0xA4F8, 0xEB32, -123456789,  4171510507",
            "DCBA, 0xEB32, 0xA4F8, -123456789,  4171510507",
            "ABCD, 0xB2D0, 0x5E00, -1294967296, 3000000000",
            "CDAB, 0x5E00, 0xB2D0, -1294967296, 3000000000",
            "BADC, 0xD0B2, 0x005E, -1294967296, 3000000000",
            "DCBA, 0x005E, 0xD0B2, -1294967296, 3000000000",
            "ABCD, 0x0000, 0x0000, 0,           0",
            "ABCD, 0x0000, 0x0001, 1,           1",
            "CDAB, 0x0001, 0x0000, 1,           1",
            "BADC, 0x0000, 0x0100, 1,           1",
            "DCBA, 0x0100, 0x0000, 1,           1",
            "ABCD, 0x0001, 0x0000, 65536,       65536",
            "ABCD, 0x7FFF, 0xFFFF, 2147483647,  2147483647",
            "ABCD, 0x8000, 0x0000, -2147483648, 2147483648",
            "CDAB, 0x0000, 0x8000, -2147483648, 2147483648",
            "ABCD, 0xFFFF, 0xFFFF, -1,          4294967295",
            "DCBA, 0xFFFF, 0xFFFF, -1,          4294967295",
            "ABCD, 0x0000, 0xFFFF, 65535,       65535",
            "CDAB, 0xFFFF, 0x0000, 65535,       65535",
    })
    void convertsIntegers(String order, String w0, String w1, long int32, long uint32) {
        int[] words = { 0x5555, Integer.decode(w0), Integer.decode(w1), 0xAAAA };
        boolean little = order.equals("CDAB") || order.equals("DCBA");
        boolean swap = order.equals("BADC") || order.equals("DCBA");
        assertEquals(int32, Conversions32.int32(words, 1, little, swap));
        assertEquals(uint32, Conversions32.uint32(words, 1, little, swap));
        assertEquals((int) int32, Conversions32.bits32(words, 1, little, swap));
    }

    @ParameterizedTest(name = "{0} {1} {2} -> float32 {3}")
    @CsvSource({
            "ABCD, 0xC49A, 0x5000, -1234.5",
            "CDAB, 0x5000, 0xC49A, -1234.5",
            "BADC, 0x9AC4, 0x0050, -1234.5",
            "DCBA, 0x0050, 0x9AC4, -1234.5",
            "ABCD, 0x3FC0, 0x0000, 1.5",
            "ABCD, 0x0000, 0x0000, 0.0",
            "ABCD, 0x8000, 0x0000, -0.0",
            "ABCD, 0x4B18, 0x9680, 1.0E7",
            "ABCD, 0x7F7F, 0xFFFF, 3.4028234663852886E38",
            "ABCD, 0x0000, 0x0001, 1.401298464324817E-45",
            "ABCD, 0x7F80, 0x0000, Infinity",
            "CDAB, 0x0000, 0xFF80, -Infinity",
            "ABCD, 0x7FC0, 0x0000, NaN",
            "DCBA, 0x0100, 0xC07F, NaN",
            // 0.1f widens to the double nearest 0.1f, not to 0.1
            "ABCD, 0x3DCC, 0xCCCD, 0.10000000149011612",
    })
    void convertsFloats(String order, String w0, String w1, double expected) {
        int[] words = { Integer.decode(w0), Integer.decode(w1) };
        boolean little = order.equals("CDAB") || order.equals("DCBA");
        boolean swap = order.equals("BADC") || order.equals("DCBA");
        assertEquals(expected, Conversions32.float32(words, 0, little, swap));
    }
}
