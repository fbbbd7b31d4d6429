package org.openess.gateway.storage.spool;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The on-disk layout. A segment file is named after its first sequence number
 * ({@code 00000000000000000001.seg}) and starts with a 24-byte header: magic {@code ESSSPL01},
 * first sequence number (8), reserved (4), CRC32C of the previous 20 bytes (4). Records follow
 * back to back: payload length (4), CRC32C over sequence number and payload (4), sequence number
 * (8), payload. Little-endian. A record is whole when its length is sane, the file holds all of
 * it, its sequence number is the next one expected and its checksum matches; anything else ends
 * the readable part of the segment (a torn tail in the newest segment, corruption elsewhere).
 */
public final class SpoolFormat {
    public static final byte[] MAGIC = "ESSSPL01".getBytes(StandardCharsets.US_ASCII);
    public static final int HEADER_BYTES = 24;
    public static final int RECORD_HEADER_BYTES = 16;
    /** A cycle of 1,000 rows of 1,000 columns is 8 MB; anything larger is a corrupt length field. */
    public static final int MAX_PAYLOAD = 64 << 20;
    public static final String SEGMENT_SUFFIX = ".seg";
    public static final String CORRUPT_SUFFIX = ".corrupt";

    private SpoolFormat() {
    }

    public static String segmentName(long firstSeq) {
        return String.format("%020d%s", firstSeq, SEGMENT_SUFFIX);
    }

    /** The first sequence number from a segment file name, or -1 when it is not one. */
    public static long firstSeqOf(String fileName) {
        if (!fileName.endsWith(SEGMENT_SUFFIX) || fileName.length() != 20 + SEGMENT_SUFFIX.length()) {
            return -1;
        }
        try {
            return Long.parseLong(fileName.substring(0, 20));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public static ByteBuffer header(long firstSeq) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putLong(firstSeq).putInt(0);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 20);
        b.putInt((int) crc.getValue());
        return b.flip();
    }

    /** The first sequence number the header names, or -1 when the header is damaged. */
    public static long readHeader(ByteBuffer b) {
        if (b.remaining() < HEADER_BYTES) {
            return -1;
        }
        b.order(ByteOrder.LITTLE_ENDIAN);
        byte[] all = new byte[HEADER_BYTES];
        b.get(all);
        for (int i = 0; i < MAGIC.length; i++) {
            if (all[i] != MAGIC[i]) {
                return -1;
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(all, 0, 20);
        ByteBuffer w = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        if (w.getInt(20) != (int) crc.getValue()) {
            return -1;
        }
        return w.getLong(8);
    }

    /** A framed record: header and payload in one buffer, ready to append. */
    public static ByteBuffer frame(long seq, byte[] payload, int length) {
        ByteBuffer b = ByteBuffer.allocate(RECORD_HEADER_BYTES + length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(length).putInt(checksum(seq, payload, 0, length)).putLong(seq).put(payload, 0, length);
        return b.flip();
    }

    public static int checksum(long seq, byte[] payload, int offset, int length) {
        CRC32C crc = new CRC32C();
        ByteBuffer s = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(seq).flip();
        crc.update(s);
        crc.update(payload, offset, length);
        return (int) crc.getValue();
    }
}
