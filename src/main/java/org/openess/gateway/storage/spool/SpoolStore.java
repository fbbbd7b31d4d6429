package org.openess.gateway.storage.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jboss.logging.Logger;

/**
 * The spool's files: segments in one folder, appended to at the newest ("head") segment, deleted
 * when every record in them is committed. Knows where records are and which are committed; knows
 * nothing of what they hold. Confined to the spool thread (no locking); the only blocking I/O of
 * the storage stage happens here.
 * <p>
 * Start-up reads the segment names, the header of each segment, the committed ranges file
 * ({@code acked}) and scans only the newest segment (to find its end and cut a torn tail), so its
 * cost and memory do not grow with the backlog. A damaged header moves a segment aside at once; a
 * damaged record inside an older segment is found when the records are read for sending
 * ({@link #moveAside}).
 */
final class SpoolStore implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SpoolStore.class);
    static final String ACKED = "acked";

    static final class Segment {
        final long firstSeq;
        final Path path;
        long bytes;
        /** firstSeq - 1 while empty. */
        long lastSeq;
        /** Tick of the first record, for the status' oldest unsent tick (0 = unknown). */
        long firstTick;

        Segment(long firstSeq, Path path) {
            this.firstSeq = firstSeq;
            this.path = path;
            this.lastSeq = firstSeq - 1;
        }
    }

    private final Path dir;
    private final long segmentBytes;
    /** sync=never leaves write-back to the OS even when a segment is closed. */
    boolean forceOnClose = true;
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private final CommittedRanges committed = new CommittedRanges();
    private Segment head;
    private FileChannel headChannel;
    private long nextSeq = 1;
    /** The last record framed, its buffer reused for the next (spool thread only, like everything here). */
    private ByteBuffer framed;
    private long totalBytes;
    private boolean unsynced;
    private boolean acksChanged;
    long corruptSegments;
    long corruptRecords;
    long truncatedBytes;

    SpoolStore(Path dir, long segmentBytes) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
    }

    /** Reads what an earlier run left; afterwards {@link #append} starts a new head segment. */
    void open(RecordCodec codec) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SpoolFormat.SEGMENT_SUFFIX)) {
            ds.forEach(files::add);
        }
        TreeMap<Long, Path> found = new TreeMap<>();
        for (Path f : files) {
            long first = SpoolFormat.firstSeqOf(f.getFileName().toString());
            if (first < 1) {
                LOG.warnf("spool: ignoring %s (not a segment name)", f);
                continue;
            }
            found.put(first, f);
        }
        Long maxAcked = readAcked();
        for (Map.Entry<Long, Path> e : found.entrySet()) {
            Segment s = new Segment(e.getKey(), e.getValue());
            Map.Entry<Long, Path> next = found.higherEntry(e.getKey());
            try (SegmentReader r = new SegmentReader(s.path, -1)) {
                if (r.firstSeq() != s.firstSeq) {
                    moveAsideAtStart(s, r.problem() != null ? r.problem() : "header names " + r.firstSeq(),
                            next == null ? -1 : next.getKey() - 1);
                    continue;
                }
                SegmentReader.Entry first = r.next();
                if (first != null) {
                    s.firstTick = tickOf(codec, first);
                }
                if (next != null) {
                    // an older segment: trust its size now, check its records when they are read
                    s.bytes = Files.size(s.path);
                    s.lastSeq = next.getKey() - 1;
                } else {
                    // the newest: find its end, cut what a crash left half-written
                    while (r.next() != null) {
                        // scan
                    }
                    s.lastSeq = r.expectedSeq() - 1;
                    s.bytes = r.position();
                    long size = Files.size(s.path);
                    if (size > s.bytes) {
                        try (FileChannel ch = FileChannel.open(s.path, StandardOpenOption.WRITE)) {
                            ch.truncate(s.bytes);
                            ch.force(true);
                        }
                        truncatedBytes += size - s.bytes;
                        LOG.warnf("spool: cut a torn tail of %d byte(s) off %s (%s); records up to %d kept", size - s.bytes,
                                s.path.getFileName(), r.problem(), s.lastSeq);
                    }
                }
            }
            nextSeq = Math.max(nextSeq, s.firstSeq);
            if (s.lastSeq < s.firstSeq) {
                Files.deleteIfExists(s.path);
                continue;
            }
            segments.put(s.firstSeq, s);
            totalBytes += s.bytes;
        }
        if (!segments.isEmpty()) {
            nextSeq = Math.max(nextSeq, segments.lastEntry().getValue().lastSeq + 1);
        }
        if (maxAcked != null) {
            nextSeq = Math.max(nextSeq, maxAcked + 1);
        }
        if (!segments.isEmpty()) {
            committed.dropBelow(segments.firstKey());
        }
        deleteCommitted();
    }

    private static long tickOf(RecordCodec codec, SegmentReader.Entry e) {
        try {
            return RecordCodec.tickOf(e.payload(), e.length());
        } catch (RuntimeException ex) {
            return 0;
        }
    }

    private void moveAsideAtStart(Segment s, String why, long lastSeq) throws IOException {
        Path aside = aside(s.path);
        corruptSegments++;
        long lost = lastSeq < 0 ? 0 : committed.missingCount(s.firstSeq, lastSeq);
        corruptRecords += lost;
        if (lastSeq >= 0) {
            committed.add(s.firstSeq, lastSeq);
            acksChanged = true;
        }
        LOG.errorf("spool: segment %s is unreadable (%s); moved aside as %s, %s unsent record(s) lost", s.path.getFileName(),
                why, aside.getFileName(), lastSeq < 0 ? "its" : Long.toString(lost));
    }

    private Path aside(Path p) throws IOException {
        Path target = p.resolveSibling(p.getFileName() + SpoolFormat.CORRUPT_SUFFIX);
        Files.move(p, target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    /**
     * A damaged record found while reading: the segment is moved aside, the records from
     * {@code firstLost} to its end are counted as lost and marked done. Returns how many.
     */
    long moveAside(Segment s, long firstLost, String why) {
        long lost = committed.missingCount(firstLost, s.lastSeq);
        try {
            if (s == head) {
                closeHead();
            }
            Path aside = aside(s.path);
            LOG.errorf("spool: segment %s is damaged (%s); moved aside as %s, %d unsent record(s) lost, the rest goes on",
                    s.path.getFileName(), why, aside.getFileName(), lost);
        } catch (IOException e) {
            LOG.errorf("spool: segment %s is damaged (%s) and cannot be moved aside (%s); skipped, %d record(s) lost",
                    s.path.getFileName(), why, e.getMessage(), lost);
        }
        segments.remove(s.firstSeq);
        totalBytes -= s.bytes;
        corruptSegments++;
        corruptRecords += lost;
        committed.add(s.firstSeq, s.lastSeq);
        acksChanged = true;
        return lost;
    }

    /** Appends one record (rolling to a new segment first when the head is full); returns its sequence number. */
    long append(byte[] payload, int length, long tick) throws IOException {
        int recordBytes = SpoolFormat.RECORD_HEADER_BYTES + length;
        if (head == null || (head.bytes + recordBytes > segmentBytes && head.lastSeq >= head.firstSeq)) {
            roll();
        }
        long seq = nextSeq;
        framed = SpoolFormat.frame(framed, seq, payload, length);
        long at = head.bytes;
        try {
            while (framed.hasRemaining()) {
                headChannel.write(framed, at + framed.position());
            }
        } catch (IOException e) {
            // a half-written record (disk full) must not stay in front of the next one
            try {
                headChannel.truncate(at);
            } catch (IOException ignored) {
                // readers stop at head.bytes anyway
            }
            throw e;
        }
        head.bytes += recordBytes;
        head.lastSeq = seq;
        if (head.firstTick == 0) {
            head.firstTick = tick;
        }
        totalBytes += recordBytes;
        nextSeq++;
        unsynced = true;
        return seq;
    }

    /** Closes the head segment and starts a new one named after the next sequence number. */
    void roll() throws IOException {
        closeHead();
        Segment s = new Segment(nextSeq, dir.resolve(SpoolFormat.segmentName(nextSeq)));
        FileChannel ch = FileChannel.open(s.path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        try {
            ByteBuffer h = SpoolFormat.header(nextSeq);
            while (h.hasRemaining()) {
                ch.write(h, h.position());
            }
        } catch (IOException e) {
            ch.close();
            Files.deleteIfExists(s.path);
            throw e;
        }
        s.bytes = SpoolFormat.HEADER_BYTES;
        if (forceOnClose) {
            syncDirectory();
        }
        headChannel = ch;
        head = s;
        segments.put(s.firstSeq, s);
        totalBytes += s.bytes;
        unsynced = true;
    }

    /** A new file's name must survive a power cut too, not only its data (fsync of the folder; best effort). */
    private void syncDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every filesystem lets a folder be forced; the journal commits it within seconds anyway
        }
    }

    /** After a write failed: the head is given up (a new one is started when the disk takes writes again). */
    void closeHead() {
        if (headChannel != null) {
            try {
                if (unsynced && forceOnClose) {
                    headChannel.force(false);
                }
            } catch (IOException ignored) {
                // the data is in the page cache at least
            }
            try {
                headChannel.close();
            } catch (IOException ignored) {
                // nothing more to do
            }
            unsynced = false;
        }
        if (head != null && head.lastSeq < head.firstSeq) {
            // never held a record: not worth keeping
            segments.remove(head.firstSeq);
            totalBytes -= head.bytes;
            try {
                Files.deleteIfExists(head.path);
            } catch (IOException ignored) {
                // an empty segment is skipped at start-up anyway
            }
        }
        headChannel = null;
        head = null;
    }

    void sync() throws IOException {
        if (unsynced && headChannel != null) {
            headChannel.force(false);
            unsynced = false;
        }
    }

    boolean unsynced() {
        return unsynced;
    }

    void commit(long from, long to) {
        committed.add(from, to);
        acksChanged = true;
    }

    boolean isCommitted(long seq) {
        return committed.contains(seq);
    }

    /** Deletes every segment but the head whose records are all committed. */
    void deleteCommitted() {
        while (!segments.isEmpty()) {
            Segment s = segments.firstEntry().getValue();
            if (s == head || !committed.containsAll(s.firstSeq, s.lastSeq)) {
                break;
            }
            delete(s);
        }
        if (!segments.isEmpty()) {
            committed.dropBelow(segments.firstKey());
        }
    }

    void delete(Segment s) {
        try {
            Files.deleteIfExists(s.path);
        } catch (IOException e) {
            LOG.warnf("spool: cannot delete %s (%s)", s.path, e.getMessage());
        }
        segments.remove(s.firstSeq);
        totalBytes -= s.bytes;
    }

    /** The oldest segment that is not the head, or null. */
    Segment oldestClosed() {
        if (segments.isEmpty()) {
            return null;
        }
        Segment s = segments.firstEntry().getValue();
        return s == head ? null : s;
    }

    Segment segmentOf(long seq) {
        Map.Entry<Long, Segment> e = segments.floorEntry(seq);
        return e == null || e.getValue().lastSeq < seq ? null : e.getValue();
    }

    /** The first segment holding records at or after {@code seq}, or null. */
    Segment segmentAtOrAfter(long seq) {
        Segment s = segmentOf(seq);
        if (s != null) {
            return s;
        }
        Map.Entry<Long, Segment> e = segments.higherEntry(seq);
        return e == null ? null : e.getValue();
    }

    /** Uncommitted ranges of every record on disk, oldest first (what a restart must send). */
    List<long[]> unsent() {
        if (segments.isEmpty()) {
            return List.of();
        }
        long first = segments.firstKey();
        return committed.missing(first, nextSeq - 1);
    }

    long pendingRecords() {
        if (segments.isEmpty()) {
            return 0;
        }
        return committed.missingCount(segments.firstKey(), nextSeq - 1);
    }

    /** Approximate tick of the oldest unsent record: the first tick of its segment (0 = none). */
    long oldestUnsentTick() {
        List<long[]> u = unsent();
        if (u.isEmpty()) {
            return 0;
        }
        Segment s = segmentOf(u.get(0)[0]);
        return s == null ? 0 : s.firstTick;
    }

    boolean isHead(Segment s) {
        return s == head;
    }

    long totalBytes() {
        return totalBytes;
    }

    long nextSeq() {
        return nextSeq;
    }

    int segmentCount() {
        return segments.size();
    }

    Path dir() {
        return dir;
    }

    /** Writes the committed ranges (atomically: a temporary file renamed over the old one). */
    void persistAcks(boolean force) throws IOException {
        if (!acksChanged) {
            return;
        }
        Map<Long, Long> ranges = committed.asMap();
        ByteBuffer b = ByteBuffer.allocate(8 + 16 * ranges.size() + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(SpoolFormat.ACKS_MAGIC).putInt(ranges.size());
        ranges.forEach((from, to) -> b.putLong(from).putLong(to));
        b.putInt(SpoolFormat.crc32c(b.array(), 0, b.position()));
        b.flip();
        Path tmp = dir.resolve(ACKED + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (b.hasRemaining()) {
                ch.write(b);
            }
            if (force) {
                ch.force(false);
            }
        }
        try {
            Files.move(tmp, dir.resolve(ACKED), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dir.resolve(ACKED), StandardCopyOption.REPLACE_EXISTING);
        }
        acksChanged = false;
    }

    /** Loads the committed ranges; a missing or damaged file means "nothing committed" (replays are harmless). */
    private Long readAcked() {
        Path p = dir.resolve(ACKED);
        try {
            byte[] all = Files.readAllBytes(p);
            ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
            if (all.length < 12 || b.getInt() != SpoolFormat.ACKS_MAGIC) {
                throw new IOException("bad magic");
            }
            int n = b.getInt();
            if (n < 0 || all.length != 8 + 16 * n + 4) {
                throw new IOException("bad length");
            }
            if (b.getInt(all.length - 4) != SpoolFormat.crc32c(all, 0, all.length - 4)) {
                throw new IOException("checksum mismatch");
            }
            Long max = null;
            for (int i = 0; i < n; i++) {
                long from = b.getLong();
                long to = b.getLong();
                committed.add(from, to);
                max = to;
            }
            return max;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.warnf("spool: %s unreadable (%s); everything on disk will be sent again (duplicates are ignored)", p,
                    e.getMessage());
            return null;
        }
    }

    @Override
    public void close() {
        closeHead();
    }
}
