package org.openess.gateway.modbus;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import org.openess.gateway.plan.ReadRequest;

import com.ghgande.j2mod.modbus.msg.ModbusRequest;
import com.ghgande.j2mod.modbus.msg.ReadCoilsRequest;
import com.ghgande.j2mod.modbus.msg.ReadInputDiscretesRequest;
import com.ghgande.j2mod.modbus.msg.ReadInputRegistersRequest;
import com.ghgande.j2mod.modbus.msg.ReadMultipleRegistersRequest;

/**
 * Modbus TCP application data units: requests built with j2mod's message classes, responses read
 * here after exact length checks (j2mod's response classes copied every register into an object
 * of its own: the largest single CPU cost of a poll at 1,000 devices). The transport (framing,
 * transaction ids, timeouts) is ours, on Vert.x, because j2mod's TCP transport blocks.
 */
public final class ModbusPdus {
    /** MBAP header: transaction id, protocol id, length, unit id. */
    public static final int MBAP_LENGTH = 7;

    private ModbusPdus() {
    }

    /** The full request frame (MBAP header + PDU) for one planned read. */
    public static byte[] requestFrame(ReadRequest read, int transactionId, int unitId) {
        ModbusRequest request = switch (read.function()) {
            case COILS -> new ReadCoilsRequest(read.start(), read.count());
            case DISCRETE_INPUTS -> new ReadInputDiscretesRequest(read.start(), read.count());
            case HOLDING_REGISTERS -> new ReadMultipleRegistersRequest(read.start(), read.count());
            case INPUT_REGISTERS -> new ReadInputRegistersRequest(read.start(), read.count());
        };
        request.setTransactionID(transactionId);
        request.setUnitID(unitId);
        request.setProtocolID(0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(12);
        try {
            request.writeTo(new DataOutputStream(bytes));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    /** Why an MBAP header cannot start a response frame, or null when it can. */
    public static String headerProblem(int protocolId, int length) {
        if (protocolId != 0) {
            return "MBAP protocol id " + protocolId + " (must be 0)";
        }
        if (length < 3 || length > 254) {
            return "MBAP length " + length + " outside 3..254";
        }
        return null;
    }

    /**
     * Parses one whole response frame (MBAP header + PDU) to {@code read} sent to {@code unitId}.
     * The connection matches transaction ids before it gets here (a frame with an unknown one is
     * discarded, never parsed), so the id is not checked. Every outcome is values or a
     * {@link ModbusReadException}; nothing else escapes, whatever the bytes.
     */
    public static int[] parseFrame(ReadRequest read, int unitId, byte[] frame) {
        if (frame.length < MBAP_LENGTH) {
            throw new ModbusReadException(ModbusReadException.Kind.BAD_FRAME, "frame of " + frame.length + " byte(s) is shorter than an MBAP header");
        }
        int protocol = ((frame[2] & 0xFF) << 8) | (frame[3] & 0xFF);
        int length = ((frame[4] & 0xFF) << 8) | (frame[5] & 0xFF);
        String problem = headerProblem(protocol, length);
        if (problem != null) {
            throw new ModbusReadException(ModbusReadException.Kind.BAD_FRAME, "bad frame: " + problem);
        }
        if (frame.length != 6 + length) {
            throw new ModbusReadException(ModbusReadException.Kind.BAD_FRAME,
                    "frame of " + frame.length + " bytes, its MBAP length says " + (6 + length));
        }
        byte[] pdu = new byte[length - 1];
        System.arraycopy(frame, MBAP_LENGTH, pdu, 0, pdu.length);
        return parseResponse(read, frame[6] & 0xFF, unitId, pdu);
    }

    /**
     * Parses the PDU of a response (function code first) from unit {@code unit} to a read sent to
     * {@code expectedUnit} and returns its values: registers as 0..65535, bits as 0/1. Throws for
     * exception responses and malformed PDUs.
     */
    public static int[] parseResponse(ReadRequest read, int unit, int expectedUnit, byte[] pdu) {
        if (unit != expectedUnit) {
            throw new ModbusReadException(ModbusReadException.Kind.BAD_FRAME,
                    "response from unit id " + unit + ", request was to " + expectedUnit);
        }
        if (pdu.length < 2) {
            throw new ModbusReadException(ModbusReadException.Kind.BAD_FRAME, "response PDU of " + pdu.length + " byte(s) is too short");
        }
        int function = pdu[0] & 0xFF;
        if (function == (read.function().code() | 0x80)) {
            if (pdu.length != 2) {
                throw new ModbusReadException(ModbusReadException.Kind.BAD_FRAME,
                        "exception response PDU of " + pdu.length + " bytes (must be 2)");
            }
            throw ModbusReadException.exceptionResponse(pdu[1] & 0xFF);
        }
        if (function != read.function().code()) {
            throw new ModbusReadException(ModbusReadException.Kind.BAD_FRAME,
                    "response has function code " + function + ", request had " + read.function().code());
        }
        int byteCount = pdu[1] & 0xFF;
        int expectedBytes = read.function().isBitAddressed() ? (read.count() + 7) / 8 : read.count() * 2;
        if (byteCount != expectedBytes || pdu.length != 2 + byteCount) {
            throw new ModbusReadException(ModbusReadException.Kind.BAD_FRAME, "response byte count " + byteCount + " in a PDU of "
                    + pdu.length + " bytes; " + read + " needs " + expectedBytes);
        }
        // the checks above fix the length exactly, so the data can be read straight from the PDU:
        // registers big-endian, bits least significant first within each byte (Modbus spec 6.1-6.4)
        int[] values = new int[read.count()];
        if (read.function().isBitAddressed()) {
            for (int i = 0; i < values.length; i++) {
                values[i] = (pdu[2 + (i >>> 3)] >>> (i & 7)) & 1;
            }
        } else {
            for (int i = 0; i < values.length; i++) {
                values[i] = ((pdu[2 + 2 * i] & 0xFF) << 8) | (pdu[3 + 2 * i] & 0xFF);
            }
        }
        return values;
    }

    public static String exceptionName(int code) {
        return switch (code) {
            case 1 -> "illegal function";
            case 2 -> "illegal data address";
            case 3 -> "illegal data value";
            case 4 -> "server device failure";
            case 5 -> "acknowledge";
            case 6 -> "server device busy";
            case 8 -> "memory parity error";
            case 10 -> "gateway path unavailable";
            case 11 -> "gateway target device failed to respond";
            default -> "unknown exception code";
        };
    }
}
