package org.openess.gateway.modbus;

/**
 * Cuts the bytes arriving on an RTU line into frames for the one request on the wire. A frame is
 * taken only when its CRC is right and it comes from the unit asked with the function asked (or
 * its exception); a frame from another unit or with another function (a late answer to a request
 * that timed out, another master's traffic) is discarded and counted, and so are bytes that cannot
 * be framed at all. Nothing is decoded here. Confined to the bus's context.
 */
final class RtuReceiver {
    enum Result {
        /** Nothing complete yet (or only discarded frames). */
        NONE,
        /** {@link #frame()} is the answer. */
        FRAME,
        /** A frame of the right length arrived with a wrong CRC; the rest of the input was dropped. */
        CRC_ERROR
    }

    private final byte[] buf = new byte[2 * RtuFrames.MAX_FRAME];
    private int len;
    private int unit = -1;
    private int function;
    private byte[] frame;

    private long crcErrors;
    private long wrongUnit;
    private long wrongFunction;
    private long unframed;

    /** A request to {@code unitId} with {@code function} went out: earlier input is dropped. */
    void expect(int unitId, int functionCode) {
        len = 0;
        unit = unitId;
        function = functionCode;
        frame = null;
    }

    /** No request is on the wire: whatever arrives until the next {@link #expect} is discarded. */
    void idle() {
        if (len > 0) {
            unframed++;
        }
        len = 0;
        unit = -1;
        frame = null;
    }

    /** Part of a frame arrived and the rest has not. */
    boolean partial() {
        return len > 0;
    }

    int partialLength() {
        return len;
    }

    byte[] frame() {
        return frame;
    }

    Result feed(byte[] data, int off, int count) {
        if (unit < 0) {
            if (count > 0) {
                unframed++;
            }
            return Result.NONE;
        }
        if (len + count > buf.length) {
            // more than any frame can hold without one being taken: the line is out of step
            unframed++;
            len = 0;
            return Result.NONE;
        }
        System.arraycopy(data, off, buf, len, count);
        len += count;
        while (len > 0) {
            int length = RtuFrames.frameLength(buf, len);
            if (length < 0) {
                unframed++;
                len = 0;
                return Result.NONE;
            }
            if (length == 0 || len < length) {
                return Result.NONE;
            }
            if (!RtuFrames.crcValid(buf, length)) {
                crcErrors++;
                len = 0;
                return Result.CRC_ERROR;
            }
            int u = buf[0] & 0xFF;
            int f = buf[1] & 0x7F;
            if (u != unit || f != function) {
                if (u != unit) {
                    wrongUnit++;
                } else {
                    wrongFunction++;
                }
                drop(length);
                continue;
            }
            frame = java.util.Arrays.copyOf(buf, length);
            if (len > length) {
                unframed++; // trailing bytes after the answer belong to nothing
            }
            len = 0;
            unit = -1;
            return Result.FRAME;
        }
        return Result.NONE;
    }

    private void drop(int n) {
        System.arraycopy(buf, n, buf, 0, len - n);
        len -= n;
    }

    long crcErrors() {
        return crcErrors;
    }

    /** Frames (or unframeable bytes) discarded for another reason than their CRC. */
    long framesDiscarded() {
        return wrongUnit + wrongFunction + unframed;
    }

    long wrongUnit() {
        return wrongUnit;
    }

    long wrongFunction() {
        return wrongFunction;
    }
}
