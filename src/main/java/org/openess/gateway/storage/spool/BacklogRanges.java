package org.openess.gateway.storage.spool;

import java.util.ArrayDeque;

/** Sequence ranges of records to read back from disk, oldest first; adjacent ranges merge. Spool thread only. */
final class BacklogRanges {
    /** {from, to}, both included; the first range's {@code from} is the next record to read. */
    private final ArrayDeque<long[]> ranges = new ArrayDeque<>();

    void add(long from, long to) {
        long[] last = ranges.peekLast();
        if (last != null && last[1] + 1 == from) {
            last[1] = to;
        } else {
            ranges.addLast(new long[] { from, to });
        }
    }

    boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** The next record to read; only when not empty. */
    long first() {
        return ranges.peekFirst()[0];
    }

    /** Past the next record. */
    void advance() {
        long[] r = ranges.peekFirst();
        r[0]++;
        if (r[0] > r[1]) {
            ranges.pollFirst();
        }
    }

    /** Forgets every record below {@code seq} (dropped or moved aside). */
    void trimBelow(long seq) {
        while (!ranges.isEmpty()) {
            long[] r = ranges.peekFirst();
            if (r[1] < seq) {
                ranges.pollFirst();
            } else {
                r[0] = Math.max(r[0], seq);
                return;
            }
        }
    }

    /** Records still to read. */
    long pending() {
        long n = 0;
        for (long[] r : ranges) {
            n += r[1] - r[0] + 1;
        }
        return n;
    }
}
