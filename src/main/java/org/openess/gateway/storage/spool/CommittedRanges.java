package org.openess.gateway.storage.spool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sequence numbers that need no more sending (committed, or given up: dropped, corrupt), as
 * disjoint closed ranges. Acknowledgements arrive out of order (live and replay batches, several
 * statements in flight), so this is a set, not a single watermark; it stays a handful of ranges
 * because a gap between ranges is only ever what is still in flight or still to replay.
 */
final class CommittedRanges {
    private final TreeMap<Long, Long> ranges = new TreeMap<>();

    void add(long from, long to) {
        if (to < from) {
            return;
        }
        Map.Entry<Long, Long> before = ranges.floorEntry(from);
        if (before != null && before.getValue() >= from - 1) {
            from = before.getKey();
            to = Math.max(to, before.getValue());
            ranges.remove(before.getKey());
        }
        Map.Entry<Long, Long> next;
        while ((next = ranges.ceilingEntry(from)) != null && next.getKey() <= to + 1) {
            to = Math.max(to, next.getValue());
            ranges.remove(next.getKey());
        }
        ranges.put(from, to);
    }

    boolean containsAll(long from, long to) {
        Map.Entry<Long, Long> e = ranges.floorEntry(from);
        return e != null && e.getValue() >= to;
    }

    boolean contains(long seq) {
        return containsAll(seq, seq);
    }

    /** Forgets everything below {@code seq} (segments deleted). */
    void dropBelow(long seq) {
        while (!ranges.isEmpty() && ranges.firstKey() < seq) {
            Map.Entry<Long, Long> first = ranges.pollFirstEntry();
            if (first.getValue() >= seq) {
                ranges.put(seq, first.getValue());
                return;
            }
        }
    }

    /** The parts of [from, to] not in the set, in order. */
    List<long[]> missing(long from, long to) {
        List<long[]> out = new ArrayList<>();
        long cursor = from;
        Map.Entry<Long, Long> floor = ranges.floorEntry(from);
        if (floor != null && floor.getValue() >= from) {
            cursor = floor.getValue() + 1;
        }
        for (Map.Entry<Long, Long> e : ranges.tailMap(from, false).entrySet()) {
            if (cursor > to) {
                break;
            }
            if (e.getKey() > cursor) {
                out.add(new long[] { cursor, Math.min(to, e.getKey() - 1) });
            }
            cursor = Math.max(cursor, e.getValue() + 1);
        }
        if (cursor <= to) {
            out.add(new long[] { cursor, to });
        }
        return out;
    }

    /** Records not committed in [from, to]. */
    long missingCount(long from, long to) {
        long n = 0;
        for (long[] r : missing(from, to)) {
            n += r[1] - r[0] + 1;
        }
        return n;
    }

    Map<Long, Long> asMap() {
        return ranges;
    }

    int rangeCount() {
        return ranges.size();
    }
}
