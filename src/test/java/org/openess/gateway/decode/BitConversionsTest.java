package org.openess.gateway.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openess.gateway.testsupport.UnitTest;

/** Bits of a register, registers as flags, and the 0↔1 inversion. */
@UnitTest
class BitConversionsTest {

    @ParameterizedTest(name = "bit {1} of {0} = {2}")
    @CsvSource({
            "0x0001, 0, 1", "0x0001, 1, 0", "0x8000, 15, 1", "0x8000, 14, 0", "0x7FFF, 15, 0", "0x7FFF, 14, 1",
            "0xA5C3, 0, 1", "0xA5C3, 1, 1", "0xA5C3, 2, 0", "0xA5C3, 6, 1", "0xA5C3, 7, 1", "0xA5C3, 8, 1",
            "0xA5C3, 9, 0", "0xA5C3, 10, 1", "0xA5C3, 13, 1", "0xA5C3, 15, 1", "0xFFFF, 7, 1", "0x0000, 7, 0",
    })
    void readsOneBit(String word, int bit, int expected) {
        assertEquals(expected, BitConversions.bit(Integer.decode(word), bit));
    }

    @ParameterizedTest(name = "flag({0}) = {1}")
    @CsvSource({ "0, 0", "1, 1", "2, 1", "3, 1", "32768, 1", "65535, 1" })
    void aRegisterIsAFlagWhenNotZero(int word, int expected) {
        assertEquals(expected, BitConversions.flag(word));
    }

    @ParameterizedTest(name = "invert01({0}) = {1}")
    @CsvSource({ "0, 1", "1, 0", "2, 2", "3, 3", "-1, -1", "4, 4", "65535, 65535" })
    void inversionSwapsOnlyZeroAndOne(long value, long expected) {
        assertEquals(expected, BitConversions.invert01(value));
    }
}
