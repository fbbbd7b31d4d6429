package org.openess.gateway.modbus;

import org.openess.gateway.plan.ReadRequest;

/**
 * Modbus RTU frames (Modbus over serial line, V1.02, 2.5): unit id, PDU, CRC-16/Modbus sent low
 * byte first. An RTU frame carries no length, so the reader needs the expected length of an
 * answer from its function code ({@link #frameLength}). The PDU inside is the same as in Modbus
 * TCP and is parsed by {@link ModbusPdus#parseResponse}.
 */
public final class RtuFrames {
    /** Longest RTU frame: unit id, 253-byte PDU, 2 CRC bytes. */
    public static final int MAX_FRAME = 256;
    /** A frame's length is known once this many bytes of it arrived (unit, function, byte count). */
    static final int HEADER = 3;
    /** Unit id, exception function, exception code, CRC. */
    static final int EXCEPTION_LENGTH = 5;

    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0xA001 : c >>> 1;
            }
            TABLE[i] = c;
        }
    }

    private RtuFrames() {
    }

    /** CRC-16/Modbus (poly 0xA001 reflected, init 0xFFFF) of {@code len} bytes from {@code off}. */
    public static int crc(byte[] b, int off, int len) {
        int crc = 0xFFFF;
        for (int i = off; i < off + len; i++) {
            crc = (crc >>> 8) ^ TABLE[(crc ^ b[i]) & 0xFF];
        }
        return crc;
    }

    /** Whether the last two bytes of {@code frame[0, len)} are the CRC of the rest (low byte first). */
    public static boolean crcValid(byte[] frame, int len) {
        if (len < 4) {
            return false;
        }
        int crc = crc(frame, 0, len - 2);
        return (frame[len - 2] & 0xFF) == (crc & 0xFF) && (frame[len - 1] & 0xFF) == (crc >>> 8);
    }

    /** {@code unitId} and {@code pdu} framed: the CRC appended, low byte first. */
    public static byte[] frame(int unitId, byte[] pdu) {
        byte[] out = new byte[pdu.length + 3];
        out[0] = (byte) unitId;
        System.arraycopy(pdu, 0, out, 1, pdu.length);
        int crc = crc(out, 0, pdu.length + 1);
        out[out.length - 2] = (byte) crc;
        out[out.length - 1] = (byte) (crc >>> 8);
        return out;
    }

    /** The request frame of one planned read (8 bytes). */
    public static byte[] request(int unitId, ReadRequest read) {
        return frame(unitId, new byte[] { (byte) read.function().code(), (byte) (read.start() >>> 8), (byte) read.start(),
                (byte) (read.count() >>> 8), (byte) read.count() });
    }

    /** Length in bytes of the normal answer to {@code read}. */
    public static int responseLength(ReadRequest read) {
        int data = read.function().isBitAddressed() ? (read.count() + 7) / 8 : read.count() * 2;
        return 5 + data;
    }

    /**
     * The full length of the frame that starts {@code buf[0, len)}, or 0 when more bytes are
     * needed to tell, or -1 when its function code has no length rule (the bytes cannot be framed).
     * Reads (01-04) carry a byte count; single writes (05, 06) and multiple writes' answers (0F,
     * 10) are 8 bytes; every exception answer is 5.
     */
    public static int frameLength(byte[] buf, int len) {
        if (len < 2) {
            return 0;
        }
        int function = buf[1] & 0xFF;
        if ((function & 0x80) != 0) {
            return EXCEPTION_LENGTH;
        }
        return switch (function) {
            case 1, 2, 3, 4 -> len < HEADER ? 0 : 5 + (buf[2] & 0xFF);
            case 5, 6, 15, 16 -> 8;
            default -> -1;
        };
    }

    /**
     * The values of a whole answer frame (CRC included) to {@code read} sent to {@code unitId}.
     * Throws {@link ModbusReadException}: BAD_FRAME for a wrong CRC, unit, function or length,
     * EXCEPTION_RESPONSE for an exception answer.
     */
    public static int[] parseResponse(ReadRequest read, int unitId, byte[] frame) {
        if (frame.length < 4) {
            throw new ModbusReadException(ModbusReadException.Kind.BAD_FRAME, "RTU frame of " + frame.length + " byte(s) is too short");
        }
        if (!crcValid(frame, frame.length)) {
            throw new ModbusReadException(ModbusReadException.Kind.BAD_FRAME, "RTU frame with a wrong CRC");
        }
        byte[] pdu = new byte[frame.length - 3];
        System.arraycopy(frame, 1, pdu, 0, pdu.length);
        return ModbusPdus.parseResponse(read, frame[0] & 0xFF, unitId, pdu);
    }

    /** An exception answer: {@code function} with its high bit set and {@code code}. */
    public static byte[] exceptionResponse(int unitId, int function, int code) {
        return frame(unitId, new byte[] { (byte) (function | 0x80), (byte) code });
    }

    /** Hex bytes separated by spaces, for messages and tests. */
    public static String hex(byte[] b, int len) {
        StringBuilder s = new StringBuilder(len * 3);
        for (int i = 0; i < len; i++) {
            if (i > 0) {
                s.append(' ');
            }
            s.append(Character.forDigit((b[i] >> 4) & 0xF, 16)).append(Character.forDigit(b[i] & 0xF, 16));
        }
        return s.toString().toUpperCase(java.util.Locale.ROOT);
    }
}
