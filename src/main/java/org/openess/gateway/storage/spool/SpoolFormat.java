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
 * <p>
 * The committed ranges file ({@code acked}): magic {@link #ACKS_MAGIC} (4), number of ranges (4),
 * each range's first and last sequence number (8 + 8), CRC32C of everything before it (4).
 */
public final class SpoolFormat {
    public static final byte[] MAGIC = "ESSSPL01".getBytes(StandardCharsets.US_ASCII);
    public static final int HEADER_BYTES = 24;
    public static final int RECORD_HEADER_BYTES = 16;
    /** A cycle of 1,000 rows of 1,000 columns is 8 MB; anything larger is a corrupt length field. */
    public static final int MAX_PAYLOAD = 64 << 20;
    public static final String SEGMENT_SUFFIX = ".seg";
    public static final String CORRUPT_SUFFIX = ".corrupt";
    /** "ACK1" read as a little-endian int: the first field of the committed ranges file. */
    static final int ACKS_MAGIC = 0x41434b31;
    /** Where a framed record's sequence number starts: the checksum covers it and the payload after it. */
    private static final int RECORD_SEQ_OFFSET = 8;

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
        b.putInt(crc32c(b.array(), 0, b.position()));
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
        ByteBuffer w = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        if (w.getInt(20) != crc32c(all, 0, 20)) {
            return -1;
        }
        return w.getLong(8);
    }

    /** A framed record: header and payload in one new buffer, ready to append. */
    public static ByteBuffer frame(long seq, byte[] payload, int length) {
        return frame(null, seq, payload, length);
    }

    /**
     * A framed record in {@code reuse} when it is large enough (its content is replaced), else in a
     * new buffer: the caller keeps what is returned for its next record.
     */
    static ByteBuffer frame(ByteBuffer reuse, long seq, byte[] payload, int length) {
        int size = RECORD_HEADER_BYTES + length;
        ByteBuffer b = reuse != null && reuse.capacity() >= size ? reuse.clear()
                : ByteBuffer.allocate(Math.max(size, reuse == null ? 0 : 2 * reuse.capacity())).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(length).putInt(0).putLong(seq).put(payload, 0, length);
        b.putInt(4, recordChecksum(b.array(), 0, length));
        return b.flip();
    }

    /**
     * The checksum a record must carry: CRC32C over its sequence number and payload, which lie back
     * to back in the framed record starting at {@code recordStart} of {@code framed}. Computed in
     * place, so checking a record needs no copy and no scratch buffer (any thread).
     */
    static int recordChecksum(byte[] framed, int recordStart, int payloadLength) {
        return crc32c(framed, recordStart + RECORD_SEQ_OFFSET, RECORD_HEADER_BYTES - RECORD_SEQ_OFFSET + payloadLength);
    }

    /** CRC32C of {@code length} bytes, as the int every checksum field of the spool holds. */
    static int crc32c(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }
}
