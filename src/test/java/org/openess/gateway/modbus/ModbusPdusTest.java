package org.openess.gateway.modbus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.openess.gateway.plan.ReadRequest;
import org.openess.gateway.profile.Area;
import org.openess.gateway.profile.FunctionCode;
import org.openess.gateway.testsupport.UnitTest;

import com.ghgande.j2mod.modbus.msg.ModbusRequest;
import com.ghgande.j2mod.modbus.msg.ReadCoilsRequest;
import com.ghgande.j2mod.modbus.msg.ReadInputDiscretesRequest;
import com.ghgande.j2mod.modbus.msg.ReadInputRegistersRequest;
import com.ghgande.j2mod.modbus.msg.ReadMultipleRegistersRequest;

/**
 * The hand-built request frames against j2mod's (an independent Modbus implementation), and the
 * in-place response parser against the copying one it stands in for.
 */
@UnitTest
class ModbusPdusTest {

    private static ReadRequest read(FunctionCode fc, int start, int count) {
        return new ReadRequest(0, new Area("test", fc, 0, 65536), fc, start, count);
    }

    private static byte[] j2modFrame(ReadRequest read, int transactionId, int unitId) throws IOException {
        ModbusRequest request = switch (read.function()) {
            case COILS -> new ReadCoilsRequest(read.start(), read.count());
            case DISCRETE_INPUTS -> new ReadInputDiscretesRequest(read.start(), read.count());
            case HOLDING_REGISTERS -> new ReadMultipleRegistersRequest(read.start(), read.count());
            case INPUT_REGISTERS -> new ReadInputRegistersRequest(read.start(), read.count());
        };
        request.setTransactionID(transactionId);
        request.setUnitID(unitId);
        request.setProtocolID(0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        request.writeTo(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    @Test
    void requestFramesAreJ2modsByteForByte() throws IOException {
        Random r = new Random(14);
        for (FunctionCode fc : FunctionCode.values()) {
            int max = fc.isBitAddressed() ? 2000 : 125;
            int[][] edges = { { 0, 1 }, { 65535, 1 }, { 65536 - max, max }, { 0x1234, max } };
            for (int[] e : edges) {
                ReadRequest read = read(fc, e[0], e[1]);
                for (int tid : new int[] { 0, 1, 255, 256, 0xFFFF }) {
                    for (int unit : new int[] { 0, 1, 17, 247, 255 }) {
                        assertArrayEquals(j2modFrame(read, tid, unit), ModbusPdus.requestFrame(read, tid, unit),
                                read + " tid " + tid + " unit " + unit);
                    }
                }
            }
            for (int i = 0; i < 2_000; i++) {
                int count = 1 + r.nextInt(max);
                ReadRequest read = read(fc, r.nextInt(65537 - count), count);
                int tid = r.nextInt(65536);
                int unit = r.nextInt(256);
                byte[] frame = ModbusPdus.requestFrame(read, tid, unit);
                assertEquals(ModbusPdus.READ_REQUEST_LENGTH, frame.length);
                assertArrayEquals(j2modFrame(read, tid, unit), frame, read + " tid " + tid + " unit " + unit);
            }
        }
    }

    @Test
    void aPduInsideALargerArrayParsesAsItsOwnCopy() {
        ReadRequest registers = read(FunctionCode.HOLDING_REGISTERS, 100, 3);
        byte[] pdu = { 3, 6, 0x12, 0x34, (byte) 0xAB, (byte) 0xCD, 0, 7 };
        byte[] around = new byte[260];
        Arrays.fill(around, (byte) 0x5A);
        System.arraycopy(pdu, 0, around, 9, pdu.length);
        assertArrayEquals(ModbusPdus.parseResponse(registers, 1, 1, pdu), ModbusPdus.parseResponse(registers, 1, 1, around, 9, pdu.length));
        assertArrayEquals(new int[] { 0x1234, 0xABCD, 7 }, ModbusPdus.parseResponse(registers, 1, 1, around, 9, pdu.length));

        ReadRequest coils = read(FunctionCode.COILS, 0, 9);
        byte[] bits = { 1, 2, 0x0D, 0x01 };
        System.arraycopy(bits, 0, around, 40, bits.length);
        assertArrayEquals(new int[] { 1, 0, 1, 1, 0, 0, 0, 0, 1 }, ModbusPdus.parseResponse(coils, 1, 1, around, 40, bits.length));

        // the length given, not the array's, is the PDU's: bytes after it are not part of it
        ModbusReadException shortPdu = assertThrows(ModbusReadException.class,
                () -> ModbusPdus.parseResponse(registers, 1, 1, around, 9, pdu.length - 1));
        assertEquals(ModbusReadException.Kind.BAD_FRAME, shortPdu.kind());
        assertEquals(assertThrows(ModbusReadException.class, () -> ModbusPdus.parseResponse(registers, 1, 1, Arrays.copyOf(pdu, 7))).getMessage(),
                shortPdu.getMessage());

        byte[] exception = { (byte) 0x83, 2 };
        System.arraycopy(exception, 0, around, 100, 2);
        ModbusReadException answered = assertThrows(ModbusReadException.class,
                () -> ModbusPdus.parseResponse(registers, 1, 1, around, 100, 2));
        assertEquals(ModbusReadException.Kind.EXCEPTION_RESPONSE, answered.kind());
        assertEquals(2, answered.exceptionCode());
    }
}
