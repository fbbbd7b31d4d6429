package org.openess.gateway.storage.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads one segment's records in order through a 64 KiB window, never the whole file. Stops at
 * the first record that is not whole ({@link #next} returns null and {@link #problem} says why);
 * {@link #position} is then the end of the last whole record, where a torn tail is cut.
 */
final class SegmentReader implements AutoCloseable {
    private final FileChannel channel;
    private long limit;
    private ByteBuffer window = ByteBuffer.allocate(64 << 10).order(ByteOrder.LITTLE_ENDIAN).flip();
    private long windowStart;
    private long position;
    private long expectedSeq;
    private String problem;
    private final long firstSeq;

    /** A record as read: its sequence number and payload (the payload array is reused by the next call). */
    record Entry(long seq, byte[] payload, int length) {
    }

    private byte[] payload = new byte[4096];

    /**
     * Opens a segment and checks its header. {@code limit}: bytes of the file known to hold whole
     * records (the writer's position), or -1 for "all of it" (start-up, files of earlier runs).
     */
    SegmentReader(Path file, long limit) throws IOException {
        channel = FileChannel.open(file, StandardOpenOption.READ);
        this.limit = limit < 0 ? channel.size() : Math.min(limit, channel.size());
        ByteBuffer h = ByteBuffer.allocate(SpoolFormat.HEADER_BYTES);
        while (h.hasRemaining() && channel.read(h, h.position()) > 0) {
            // positional reads until the header is in or the file ends
        }
        h.flip();
        firstSeq = SpoolFormat.readHeader(h);
        if (firstSeq < 0) {
            problem = "damaged segment header";
        }
        expectedSeq = firstSeq;
        position = SpoolFormat.HEADER_BYTES;
        windowStart = position;
    }

    /** The head segment grows while it is read: lets the reader go on to the writer's new position. */
    void extendLimit(long newLimit) throws IOException {
        limit = Math.max(limit, Math.min(newLimit, channel.size()));
    }

    long firstSeq() {
        return firstSeq;
    }

    /** The next whole record, or null at the end of the readable part. */
    Entry next() throws IOException {
        if (problem != null || position >= limit) {
            return null;
        }
        if (!fill(SpoolFormat.RECORD_HEADER_BYTES)) {
            problem = "record header cut short at byte " + position;
            return null;
        }
        int length = window.getInt(window.position());
        int crc = window.getInt(window.position() + 4);
        long seq = window.getLong(window.position() + 8);
        if (length < 0 || length > SpoolFormat.MAX_PAYLOAD || position + SpoolFormat.RECORD_HEADER_BYTES + length > limit) {
            problem = (length < 0 || length > SpoolFormat.MAX_PAYLOAD ? "impossible record length " + length
                    : "record cut short") + " at byte " + position;
            return null;
        }
        if (seq != expectedSeq) {
            problem = "sequence number " + seq + " where " + expectedSeq + " was expected, at byte " + position;
            return null;
        }
        if (!fill(SpoolFormat.RECORD_HEADER_BYTES + length)) {
            problem = "record cut short at byte " + position;
            return null;
        }
        if (SpoolFormat.recordChecksum(window.array(), window.arrayOffset() + window.position(), length) != crc) {
            problem = "checksum mismatch in record " + seq + " at byte " + position;
            return null;
        }
        if (payload.length < length) {
            payload = new byte[Math.max(length, payload.length * 2)];
        }
        window.position(window.position() + SpoolFormat.RECORD_HEADER_BYTES);
        window.get(payload, 0, length);
        position += SpoolFormat.RECORD_HEADER_BYTES + length;
        expectedSeq++;
        return new Entry(seq, payload, length);
    }

    /** Makes {@code n} bytes from {@link #position} available in the window; false when the file ends first. */
    private boolean fill(int n) throws IOException {
        long offsetInWindow = position - windowStart;
        if (offsetInWindow >= 0 && window.limit() - offsetInWindow >= n) {
            window.position((int) offsetInWindow);
            return true;
        }
        if (window.capacity() < n) {
            window = ByteBuffer.allocate(Math.max(n, window.capacity() * 2)).order(ByteOrder.LITTLE_ENDIAN);
        }
        window.clear();
        windowStart = position;
        long p = position;
        while (window.hasRemaining()) {
            int r = channel.read(window, p);
            if (r <= 0) {
                break;
            }
            p += r;
        }
        window.flip();
        return window.limit() >= n;
    }

    /** Skips records below {@code seq} (reading headers and payloads; the checksum is still checked). */
    Entry seek(long seq) throws IOException {
        Entry e;
        while ((e = next()) != null && e.seq() < seq) {
            // skip
        }
        return e;
    }

    /** End of the last whole record read. */
    long position() {
        return position;
    }

    /** The sequence number the next record must carry. */
    long expectedSeq() {
        return expectedSeq;
    }

    /** Why reading stopped before the limit, or null. */
    String problem() {
        return problem;
    }

    boolean atLimit() {
        return problem == null && position >= limit;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
