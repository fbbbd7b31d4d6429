package org.openess.gateway.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openess.gateway.testsupport.UnitTest;

/** 16-bit conversions: words arrive as 0..65535; only int16 is two's complement. */
@UnitTest
class Conversions16Test {

    @ParameterizedTest(name = "{0} swap={1} -> uint16 {2}, int16 {3}")
    @CsvSource({
            // word,  swap,  uint16, int16
            "0x0000, false, 0,      0",
            "0x0001, false, 1,      1",
            "0x7FFF, false, 32767,  32767",
            "0x8000, false, 32768,  -32768",
            "0x8001, false, 32769,  -32767",
            "0x9C40, false, 40000,  -25536",
            "0xFF38, false, 65336,  -200",
            "0xFFFE, false, 65534,  -2",
            "0xFFFF, false, 65535,  -1",
            "0x1234, true,  13330,  13330",
            "0x3412, true,  4660,   4660",
            "0x38FF, true,  65336,  -200",
            "0x0080, true,  32768,  -32768",
            "0xFF00, true,  255,    255",
            "0x00FF, true,  65280,  -256",
            "0xFFFF, true,  65535,  -1",
    })
    void convertsAWord(String word, boolean swap, int uint16, int int16) {
        int w = Integer.decode(word);
        assertEquals(uint16, Conversions16.uint16(w, swap));
        assertEquals(int16, Conversions16.int16(w, swap));
    }

    @ParameterizedTest(name = "swapBytes({0}) = {1}")
    @CsvSource({ "0x0000, 0x0000", "0x1234, 0x3412", "0xFF00, 0x00FF", "0x00FF, 0xFF00", "0xABCD, 0xCDAB", "0xFFFF, 0xFFFF" })
    void swapsBytes(String word, String swapped) {
        assertEquals(Integer.decode(swapped), Conversions16.swapBytes(Integer.decode(word)));
        assertEquals(Integer.decode(word), Conversions16.swapBytes(Conversions16.swapBytes(Integer.decode(word))));
    }
}
