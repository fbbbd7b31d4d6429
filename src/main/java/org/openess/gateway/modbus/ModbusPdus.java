package org.openess.gateway.modbus;

import org.openess.gateway.plan.ReadRequest;

/**
 * Modbus TCP application data units: requests and responses built and read here, responses after
 * exact length checks (j2mod's response classes copied every register into an object
 * of its own: the largest single CPU cost of a poll at 1,000 devices). The transport (framing,
 * transaction ids, timeouts) is ours, on Vert.x, because j2mod's TCP transport blocks.
 */
public final class ModbusPdus {
    /** MBAP header: transaction id, protocol id, length, unit id. */
    public static final int MBAP_LENGTH = 7;

    private ModbusPdus() {
    }

    /** Bytes of a read request frame: MBAP header (7) + function code, start and count (5). */
    public static final int READ_REQUEST_LENGTH = 12;

    /**
     * The full request frame (MBAP header + PDU) for one planned read. Written by hand rather than
     * through j2mod's request classes: a read request is twelve fixed bytes, and building it through
     * a request object and two streams cost four objects and a copy per request (7,000 a second at
     * 1,000 devices). ModbusPdusTest checks it byte for byte against j2mod's.
     */
    public static byte[] requestFrame(ReadRequest read, int transactionId, int unitId) {
        byte[] frame = new byte[READ_REQUEST_LENGTH];
        writeRequestFrame(read, transactionId, unitId, frame);
        return frame;
    }

    /** Writes {@link #requestFrame} into the first {@link #READ_REQUEST_LENGTH} bytes of {@code frame}. */
    public static void writeRequestFrame(ReadRequest read, int transactionId, int unitId, byte[] frame) {
        frame[0] = (byte) (transactionId >>> 8);
        frame[1] = (byte) transactionId;
        frame[2] = 0; // protocol id 0: Modbus
        frame[3] = 0;
        frame[4] = 0; // length of what follows the length field: unit id + PDU of 5
        frame[5] = 6;
        frame[6] = (byte) unitId;
        frame[7] = (byte) read.function().code();
        frame[8] = (byte) (read.start() >>> 8);
        frame[9] = (byte) read.start();
        frame[10] = (byte) (read.count() >>> 8);
        frame[11] = (byte) read.count();
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
        return parseResponse(read, frame[6] & 0xFF, unitId, frame, MBAP_LENGTH, length - 1);
    }

    /**
     * Parses the PDU of a response (function code first) from unit {@code unit} to a read sent to
     * {@code expectedUnit} and returns its values: registers as 0..65535, bits as 0/1. Throws for
     * exception responses and malformed PDUs.
     */
    public static int[] parseResponse(ReadRequest read, int unit, int expectedUnit, byte[] pdu) {
        return parseResponse(read, unit, expectedUnit, pdu, 0, pdu.length);
    }

    /**
     * {@link #parseResponse(ReadRequest, int, int, byte[])} of the {@code length} bytes of
     * {@code bytes} from {@code from}: the connection parses each frame where it landed in its
     * receive array instead of copying every PDU into an array of its own.
     */
    public static int[] parseResponse(ReadRequest read, int unit, int expectedUnit, byte[] bytes, int from, int length) {
        if (unit != expectedUnit) {
            throw new ModbusReadException(ModbusReadException.Kind.BAD_FRAME,
                    "response from unit id " + unit + ", request was to " + expectedUnit);
        }
        if (length < 2) {
            throw new ModbusReadException(ModbusReadException.Kind.BAD_FRAME, "response PDU of " + length + " byte(s) is too short");
        }
        int function = bytes[from] & 0xFF;
        if (function == (read.function().code() | 0x80)) {
            if (length != 2) {
                throw new ModbusReadException(ModbusReadException.Kind.BAD_FRAME,
                        "exception response PDU of " + length + " bytes (must be 2)");
            }
            throw ModbusReadException.exceptionResponse(bytes[from + 1] & 0xFF);
        }
        if (function != read.function().code()) {
            throw new ModbusReadException(ModbusReadException.Kind.BAD_FRAME,
                    "response has function code " + function + ", request had " + read.function().code());
        }
        int byteCount = bytes[from + 1] & 0xFF;
        int expectedBytes = read.function().isBitAddressed() ? (read.count() + 7) / 8 : read.count() * 2;
        if (byteCount != expectedBytes || length != 2 + byteCount) {
            throw new ModbusReadException(ModbusReadException.Kind.BAD_FRAME, "response byte count " + byteCount + " in a PDU of "
                    + length + " bytes; " + read + " needs " + expectedBytes);
        }
        // the checks above fix the length exactly, so the data can be read straight from the PDU:
        // registers big-endian, bits least significant first within each byte (Modbus spec 6.1-6.4)
        int[] values = new int[read.count()];
        if (read.function().isBitAddressed()) {
            for (int i = 0; i < values.length; i++) {
                values[i] = (bytes[from + 2 + (i >>> 3)] >>> (i & 7)) & 1;
            }
        } else {
            for (int i = 0; i < values.length; i++) {
                values[i] = ((bytes[from + 2 + 2 * i] & 0xFF) << 8) | (bytes[from + 3 + 2 * i] & 0xFF);
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
