package org.openess.gateway.storage.spool;

import java.io.IOException;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

import org.jboss.logging.Logger;
import org.openess.gateway.config.WhenFull;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.storage.buffer.BufferCounters;
import org.openess.gateway.storage.buffer.DropLedger;

/**
 * {@code ess.spool.max-bytes} and {@code ess.spool.when-full}: room for a record is made by dropping
 * the oldest segment (drop-oldest), or the record is refused (drop-newest). Every tick given up is
 * recorded for {@code ess_gaps} and counted. Spool thread only.
 */
final class SpaceLimit {
    private static final Logger LOG = Logger.getLogger(SpaceLimit.class);

    private final long maxBytes;
    private final WhenFull whenFull;
    private final String reason;
    private final RecordCodec codec;
    private final DropLedger ledger;
    private final BufferCounters counters;
    private final LongPredicate handedOut;
    private final Consumer<SpoolStore.Segment> forget;
    private long droppedCycles;
    private long droppedRows;

    /**
     * {@code handedOut}: true for a record with the writer (it will be written, so not a dropped
     * tick); {@code forget}: called with a segment about to be deleted, so nothing reads it again.
     */
    SpaceLimit(SpoolRowBuffer.Settings settings, RecordCodec codec, DropLedger ledger, BufferCounters counters,
            LongPredicate handedOut, Consumer<SpoolStore.Segment> forget) {
        this.maxBytes = settings.maxBytes();
        this.whenFull = settings.whenFull();
        this.reason = "dropped: spool full (ess.spool.max-bytes=" + maxBytes + ", " + settings.whenFullName() + ")";
        this.codec = codec;
        this.ledger = ledger;
        this.counters = counters;
        this.handedOut = handedOut;
        this.forget = forget;
    }

    /** True when a record of {@code bytes} fits (after dropping the oldest segments if the policy says so). */
    boolean makeRoom(SpoolStore store, long bytes) {
        while (store.totalBytes() + bytes > maxBytes) {
            if (whenFull == WhenFull.DROP_NEWEST) {
                return false;
            }
            SpoolStore.Segment oldest = store.oldestClosed();
            if (oldest == null) {
                try {
                    store.roll();
                } catch (IOException e) {
                    return false;
                }
                oldest = store.oldestClosed();
                if (oldest == null) {
                    return false;
                }
            }
            dropSegment(store, oldest);
        }
        return true;
    }

    /** A cycle there is no room for: recorded and counted as dropped. */
    void refuse(CycleOutput cycle) {
        drop(cycle);
    }

    /** drop-oldest: every unsent tick of the segment is recorded for ess_gaps, then the file goes. */
    private void dropSegment(SpoolStore store, SpoolStore.Segment s) {
        long cycles = 0;
        long rows = 0;
        try (SegmentReader r = new SegmentReader(s.path, s.bytes)) {
            SegmentReader.Entry e;
            while ((e = r.next()) != null) {
                if (store.isCommitted(e.seq()) || handedOut.test(e.seq())) {
                    continue;
                }
                rows += drop(codec.decode(e.payload(), e.length()));
                cycles++;
            }
            if (r.problem() != null) {
                long lost = store.moveAside(s, r.expectedSeq(), r.problem());
                LOG.errorf("spool: %d record(s) of %s unreadable while dropping it", lost, s.path.getFileName());
            }
        } catch (IOException | RuntimeException e) {
            LOG.errorf("spool: cannot read %s while dropping it (%s); its ticks are not itemised in ess_gaps",
                    s.path.getFileName(), e.getMessage());
        }
        forget.accept(s);
        store.commit(s.firstSeq, s.lastSeq);
        store.delete(s);
        LOG.warnf("spool full (ess.spool.max-bytes=%d): dropped the oldest segment %s, %d unsent cycle(s), %d row(s); "
                + "recorded in ess_gaps", maxBytes, s.path.getFileName(), cycles, rows);
    }

    /** Records and counts one dropped cycle; returns its rows. */
    private int drop(CycleOutput cycle) {
        ledger.addCycle(cycle, reason);
        counters.dropped(cycle);
        int rows = cycle.rows().size();
        droppedCycles++;
        droppedRows += rows;
        return rows;
    }

    long droppedCycles() {
        return droppedCycles;
    }

    long droppedRows() {
        return droppedRows;
    }
}
