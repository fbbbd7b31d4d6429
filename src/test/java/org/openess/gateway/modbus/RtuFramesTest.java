package org.openess.gateway.modbus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.openess.gateway.plan.ReadRequest;
import org.openess.gateway.profile.Area;
import org.openess.gateway.profile.FunctionCode;
import org.openess.gateway.testsupport.UnitTest;

/**
 * RTU frames against golden bytes: the Modbus specification's examples (the CRC example of
 * "Modbus over serial line" 6.2.2, the classic read of unit 17) and frames pymodbus' RTU framer
 * produced (RtuFramesInteropTest checks against pymodbus live). Then the receiver: bad CRC, short
 * frames, wrong unit, wrong function, exception answers, frames split anywhere.
 */
@UnitTest
class RtuFramesTest {
    static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    static byte[] bytes(String hex) {
        return HEX.parseHex(hex.toLowerCase(java.util.Locale.ROOT));
    }

    static ReadRequest read(FunctionCode f, int start, int count) {
        return new ReadRequest(0, new Area("a", f, 0, 65536), f, start, count);
    }

    @Test
    void crcOfTheSpecificationsExamples() {
        // Modbus over serial line V1.02, 6.2.2: the CRC of 02 07 is 0x1241, sent low byte first
        assertEquals(0x1241, RtuFrames.crc(bytes("02 07"), 0, 2));
        assertArrayEquals(bytes("02 07 41 12"), RtuFrames.frame(2, new byte[] { 7 }));
        assertTrue(RtuFrames.crcValid(bytes("02 07 41 12"), 4));
        assertFalse(RtuFrames.crcValid(bytes("02 07 12 41"), 4));
    }

    @Test
    void requestFrames() {
        assertEquals("01 03 00 00 00 0A C5 CD", RtuFrames.hex(RtuFrames.request(1, read(FunctionCode.HOLDING_REGISTERS, 0, 10)), 8));
        // the application protocol's example: unit 17 (0x11), holding registers 108-110
        assertEquals("11 03 00 6B 00 03 76 87", RtuFrames.hex(RtuFrames.request(17, read(FunctionCode.HOLDING_REGISTERS, 107, 3)), 8));
        assertEquals("01 04 00 00 00 01 31 CA", RtuFrames.hex(RtuFrames.request(1, read(FunctionCode.INPUT_REGISTERS, 0, 1)), 8));
        assertEquals("11 01 00 13 00 25 0E 84", RtuFrames.hex(RtuFrames.request(17, read(FunctionCode.COILS, 19, 37)), 8));
    }

    @Test
    void responsesOfTheSpecificationAndOfPymodbus() {
        // the answer to 11 03 00 6B 00 03: 555, 0, 100
        assertArrayEquals(new int[] { 0x022B, 0, 0x64 },
                RtuFrames.parseResponse(read(FunctionCode.HOLDING_REGISTERS, 107, 3), 17, bytes("11 03 06 02 2B 00 00 00 64 C8 BA")));
        // pymodbus ReadHoldingRegistersResponse([0x1234, 0xABCD, 7], unit=17) through ModbusRtuFramer
        assertArrayEquals(new int[] { 0x1234, 0xABCD, 7 },
                RtuFrames.parseResponse(read(FunctionCode.HOLDING_REGISTERS, 0, 3), 17, bytes("11 03 06 12 34 AB CD 00 07 AE 1A")));
        // pymodbus ReadCoilsResponse([1,0,1,1,0,0,0,0,1], unit=3)
        assertArrayEquals(new int[] { 1, 0, 1, 1, 0, 0, 0, 0, 1 },
                RtuFrames.parseResponse(read(FunctionCode.COILS, 0, 9), 3, bytes("03 01 02 0D 01 05 6C")));
        // the application protocol's coil example: 37 coils from 20 of unit 17
        int[] coils = RtuFrames.parseResponse(read(FunctionCode.COILS, 19, 37), 17, bytes("11 01 05 CD 6B B2 0E 1B 45 E6"));
        assertEquals(37, coils.length);
        assertArrayEquals(new int[] { 1, 0, 1, 1, 0, 0, 1, 1 }, java.util.Arrays.copyOf(coils, 8));
    }

    @Test
    void exceptionResponses() {
        // pymodbus ExceptionResponse(3, 2, unit=5): illegal data address
        ModbusReadException e = assertThrows(ModbusReadException.class,
                () -> RtuFrames.parseResponse(read(FunctionCode.HOLDING_REGISTERS, 0, 1), 5, bytes("05 83 02 81 30")));
        assertEquals(ModbusReadException.Kind.EXCEPTION_RESPONSE, e.kind());
        assertEquals(2, e.exceptionCode());
        assertArrayEquals(bytes("05 83 02 81 30"), RtuFrames.exceptionResponse(5, 3, 2));
        assertArrayEquals(bytes("01 83 02 C0 F1"), RtuFrames.exceptionResponse(1, 3, 2));
    }

    @Test
    void badFramesAreRefusedNotDecoded() {
        ReadRequest r = read(FunctionCode.HOLDING_REGISTERS, 0, 3);
        assertEquals("RTU frame with a wrong CRC", assertThrows(ModbusReadException.class,
                () -> RtuFrames.parseResponse(r, 17, bytes("11 03 06 12 34 AB CD 00 07 AE 1B"))).getMessage());
        assertEquals("RTU frame of 3 byte(s) is too short",
                assertThrows(ModbusReadException.class, () -> RtuFrames.parseResponse(r, 17, bytes("11 03 06"))).getMessage());
        assertEquals("response from unit id 17, request was to 18", assertThrows(ModbusReadException.class,
                () -> RtuFrames.parseResponse(r, 18, bytes("11 03 06 12 34 AB CD 00 07 AE 1A"))).getMessage());
        assertEquals(ModbusReadException.Kind.BAD_FRAME, assertThrows(ModbusReadException.class,
                () -> RtuFrames.parseResponse(read(FunctionCode.INPUT_REGISTERS, 0, 3), 17, bytes("11 03 06 12 34 AB CD 00 07 AE 1A")))
                .kind());
    }

    @Test
    void frameLengthsFollowTheFunction() {
        assertEquals(0, RtuFrames.frameLength(bytes("11"), 1));
        assertEquals(0, RtuFrames.frameLength(bytes("11 03"), 2));
        assertEquals(11, RtuFrames.frameLength(bytes("11 03 06"), 3));
        assertEquals(5, RtuFrames.frameLength(bytes("05 83"), 2));
        assertEquals(8, RtuFrames.frameLength(bytes("01 06"), 2));
        assertEquals(-1, RtuFrames.frameLength(bytes("01 2B"), 2));
        assertEquals(11, RtuFrames.responseLength(read(FunctionCode.HOLDING_REGISTERS, 0, 3)));
        assertEquals(255, RtuFrames.responseLength(read(FunctionCode.INPUT_REGISTERS, 0, 125)));
        assertEquals(7, RtuFrames.responseLength(read(FunctionCode.COILS, 0, 9)));
    }

    static RtuReceiver.Result feed(RtuReceiver r, String hex) {
        byte[] b = bytes(hex);
        return r.feed(b, 0, b.length);
    }

    @Test
    void theReceiverTakesTheAnswerSplitAnywhere() {
        String answer = "11 03 06 12 34 AB CD 00 07 AE 1A";
        byte[] b = bytes(answer);
        for (int split = 1; split < b.length; split++) {
            RtuReceiver r = new RtuReceiver();
            r.expect(17, 3);
            assertEquals(RtuReceiver.Result.NONE, r.feed(b, 0, split));
            assertTrue(r.partial());
            assertEquals(RtuReceiver.Result.FRAME, r.feed(b, split, b.length - split));
            assertArrayEquals(b, r.frame());
        }
    }

    @Test
    void theReceiverDiscardsAndCountsWrongUnitAndFunctionThenTakesTheAnswer() {
        RtuReceiver r = new RtuReceiver();
        r.expect(17, 3);
        // a late answer of unit 5, then one with another function from unit 17, then the answer
        assertEquals(RtuReceiver.Result.NONE, feed(r, "05 83 02 81 30"));
        assertEquals(RtuReceiver.Result.NONE, feed(r, "11 01 02 0D 01 " + RtuFrames.hex(crcOf("11 01 02 0D 01"), 2)));
        assertEquals(RtuReceiver.Result.FRAME, feed(r, "11 03 06 12 34 AB CD 00 07 AE 1A"));
        assertEquals(1, r.wrongUnit());
        assertEquals(1, r.wrongFunction());
        assertEquals(0, r.crcErrors());
    }

    @Test
    void theReceiverTakesAnExceptionAnswerOfTheFunctionAsked() {
        RtuReceiver r = new RtuReceiver();
        r.expect(5, 3);
        assertEquals(RtuReceiver.Result.FRAME, feed(r, "05 83 02 81 30"));
        ModbusReadException e = assertThrows(ModbusReadException.class,
                () -> RtuFrames.parseResponse(read(FunctionCode.HOLDING_REGISTERS, 0, 1), 5, r.frame()));
        assertEquals(2, e.exceptionCode());
    }

    @Test
    void aBadCrcIsCountedAndTheRestDropped() {
        RtuReceiver r = new RtuReceiver();
        r.expect(17, 3);
        assertEquals(RtuReceiver.Result.CRC_ERROR, feed(r, "11 03 06 12 34 AB CD 00 07 AE 1B 11 03"));
        assertEquals(1, r.crcErrors());
        assertFalse(r.partial());
    }

    @Test
    void bytesThatCannotBeFramedOrArriveUnaskedAreDiscarded() {
        RtuReceiver r = new RtuReceiver();
        r.expect(1, 3);
        assertEquals(RtuReceiver.Result.NONE, feed(r, "01 2B 0E 01"));
        assertFalse(r.partial());
        r.idle();
        assertEquals(RtuReceiver.Result.NONE, feed(r, "01 03 02 00 01 79 84"));
        assertEquals(2, r.framesDiscarded());
        // a short frame stays partial until the bus gives it up
        r.expect(1, 3);
        assertEquals(RtuReceiver.Result.NONE, feed(r, "01 03 02 00"));
        assertTrue(r.partial());
        r.idle();
        assertEquals(3, r.framesDiscarded());
    }

    static byte[] crcOf(String hex) {
        byte[] b = bytes(hex);
        int crc = RtuFrames.crc(b, 0, b.length);
        return new byte[] { (byte) crc, (byte) (crc >>> 8) };
    }
}
