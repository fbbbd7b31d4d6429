package org.openess.gateway.storage.spool;

import java.io.IOException;

/**
 * Reads backlog records by sequence number, keeping the segment last read open for the next
 * record. A segment found gone or damaged is skipped (a damaged one moved aside and counted) and
 * the backlog forgets its records. Spool thread only.
 */
final class BacklogReader {
    private final BacklogRanges backlog;
    private SegmentReader reader;
    private SpoolStore.Segment segment;

    BacklogReader(BacklogRanges backlog) {
        this.backlog = backlog;
    }

    /** The record {@code seq} from disk, or null when its segment is gone or damaged. */
    SegmentReader.Entry read(SpoolStore store, long seq) throws IOException {
        SpoolStore.Segment s = store.segmentOf(seq);
        if (s == null) {
            // dropped or moved aside since: skip to what still exists
            SpoolStore.Segment next = store.segmentAtOrAfter(seq);
            backlog.trimBelow(next == null ? store.nextSeq() : next.firstSeq);
            return null;
        }
        if (reader == null || segment != s || reader.expectedSeq() > seq) {
            close();
            reader = new SegmentReader(s.path, s.bytes);
            segment = s;
        } else {
            reader.extendLimit(s.bytes);
        }
        SegmentReader.Entry e = reader.seek(seq);
        if (e != null && e.seq() == seq) {
            return e;
        }
        String why = reader.problem() != null ? reader.problem() : "record " + seq + " missing before byte " + reader.position();
        close();
        store.moveAside(s, seq, why);
        backlog.trimBelow(s.lastSeq + 1);
        return null;
    }

    /** Closes the open segment when it is {@code s} (about to be deleted). */
    void closeIfReading(SpoolStore.Segment s) {
        if (segment == s) {
            close();
        }
    }

    void close() {
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException ignored) {
                // read-only handle
            }
        }
        reader = null;
        segment = null;
    }
}
