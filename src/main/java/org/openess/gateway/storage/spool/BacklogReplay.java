package org.openess.gateway.storage.spool;

import java.io.IOException;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;
import org.openess.gateway.decode.CycleOutput;

/**
 * The backlog read back from disk in order, one group of consecutive records at a time, within the
 * replay rate. Records already committed are skipped; a record that does not fit the group is kept
 * in memory for the next one, so its segment is not read twice. Spool thread only.
 */
final class BacklogReplay {
    private static final Logger LOG = Logger.getLogger(BacklogReplay.class);
    static final long PAUSE_MILLIS = 5_000;

    private final RecordCodec codec;
    private final int batchRows;
    private final ReplayRate rate;
    private final LongSupplier millis;
    private final BacklogRanges backlog = new BacklogRanges();
    private final BacklogReader reader = new BacklogReader(backlog);
    /** A backlog record read but left for the next group (it did not fit). */
    private SpooledCycle carry;
    private long pausedUntil;

    BacklogReplay(RecordCodec codec, int batchRows, ReplayRate rate, LongSupplier millis) {
        this.codec = codec;
        this.batchRows = batchRows;
        this.rate = rate;
        this.millis = millis;
    }

    /** The records still to replay (the live window spills into it, a restart fills it). */
    BacklogRanges backlog() {
        return backlog;
    }

    /** The next group of backlog records, or null when there is none, the rate says wait or the disk is unreadable. */
    GroupBuilder next(SpoolStore store) {
        if (backlog.isEmpty() || millis.getAsLong() < pausedUntil || !rate.allows()) {
            return null;
        }
        GroupBuilder group = new GroupBuilder(batchRows);
        while (!backlog.isEmpty()) {
            long seq = backlog.first();
            if (!group.isEmpty() && seq != group.to() + 1) {
                break;
            }
            CycleOutput cycle;
            if (store.isCommitted(seq)) {
                backlog.advance();
                cycle = null;
            } else if (carry != null && carry.seq() == seq) {
                cycle = carry.output();
            } else {
                carry = null;
                try {
                    cycle = read(store, seq);
                } catch (IOException e) {
                    pause(seq, e);
                    break;
                }
            }
            if (cycle == null) {
                // skipped: a group holds consecutive records only
                if (group.isEmpty()) {
                    continue;
                }
                break;
            }
            if (!group.add(seq, cycle)) {
                // this record starts the next group
                carry = new SpooledCycle(seq, cycle);
                break;
            }
            carry = null;
            backlog.advance();
        }
        if (group.isEmpty()) {
            return null;
        }
        rate.spent(group.rows());
        return group;
    }

    /** The cycle of record {@code seq}, or null when it is gone or cannot be decoded (then counted and skipped). */
    private CycleOutput read(SpoolStore store, long seq) throws IOException {
        SegmentReader.Entry e = reader.read(store, seq);
        if (e == null) {
            return null;
        }
        try {
            return codec.decode(e.payload(), e.length());
        } catch (RuntimeException ex) {
            // checksum fine but content unreadable (written by an incompatible version): lost, counted
            LOG.errorf("spool: record %d cannot be decoded (%s); skipped", seq, ex.getMessage());
            store.commit(seq, seq);
            store.corruptRecords++;
            backlog.advance();
            return null;
        }
    }

    private void pause(long seq, IOException e) {
        // the folder is unreadable for now (replaced, unmounted): retry later, lose nothing
        reader.close();
        pausedUntil = millis.getAsLong() + PAUSE_MILLIS;
        LOG.warnf("spool: cannot read record %d (%s); replay paused for %d s", seq, e.getMessage(), PAUSE_MILLIS / 1000);
    }

    /** Stops reading segment {@code s} and forgets its records (it is being dropped). */
    void forget(SpoolStore.Segment s) {
        reader.closeIfReading(s);
        backlog.trimBelow(s.lastSeq + 1);
    }

    void closeReader() {
        reader.close();
    }
}
