package org.openess.gateway.storage.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openess.gateway.testsupport.UnitTest;
import org.openess.gateway.config.WhenFull;
import org.openess.gateway.config.SyncPolicy;
import org.openess.gateway.storage.buffer.BufferCounters;
import org.openess.gateway.storage.buffer.DropLedger;

/** ess.spool.max-bytes and when-full on a real store: what is dropped, recorded and counted. */
@UnitTest
class SpaceLimitTest {
    @TempDir
    Path dir;
    final DropLedger ledger = new DropLedger(10_000);
    final BufferCounters counters = new BufferCounters();
    final List<SpoolStore.Segment> forgotten = new ArrayList<>();
    final int record = StoreFixture.recordBytes();
    final long segmentBytes = SpoolFormat.HEADER_BYTES + 5L * record;
    SpoolStore store;

    @AfterEach
    void close() {
        store.close();
    }

    private SpaceLimit limit(WhenFull whenFull, long maxBytes, long handedOut) {
        return new SpaceLimit(StoreFixture.settings(dir, SyncPolicy.INTERVAL, whenFull, maxBytes), StoreFixture.codec(),
                ledger, counters, seq -> seq == handedOut, forgotten::add);
    }

    @Test
    void dropNewestRefusesWhatDoesNotFitAndRecordsIt() throws Exception {
        store = StoreFixture.open(dir, segmentBytes);
        StoreFixture.append(store, 0, 3);
        long max = store.totalBytes() + record;
        SpaceLimit limit = limit(WhenFull.DROP_NEWEST, max, -1);
        assertTrue(limit.makeRoom(store, record));
        assertFalse(limit.makeRoom(store, record + 1));
        limit.refuse(StoreFixture.cycle(3));
        assertEquals(1, limit.droppedCycles());
        assertEquals(SpoolFixture.LAYOUTS.size(), limit.droppedRows());
        assertEquals(1, counters.cyclesDropped());
        assertEquals(SpoolFixture.LAYOUTS.size(), ledger.droppedTicks(), "one per table and tick");
        String reason = "dropped: spool full (ess.spool.max-bytes=" + max + ", drop-newest)";
        assertTrue(ledger.take(100).stream().allMatch(g -> g.reason().equals(reason)));
        assertEquals(3, store.pendingRecords(), "the oldest are kept");
    }

    @Test
    void dropOldestDeletesTheOldestSegmentRecordingItsUnsentTicks() throws Exception {
        store = StoreFixture.open(dir, segmentBytes);
        StoreFixture.append(store, 0, 15); // records 1-5, 6-10, 11-15
        SpoolStore.Segment oldest = store.segmentOf(1);
        store.commit(1, 1);
        SpaceLimit limit = limit(WhenFull.DROP_OLDEST, store.totalBytes() + record - 1, 2);
        assertTrue(limit.makeRoom(store, record));
        assertEquals(List.of(oldest), forgotten, "the rest of the spool is told before the file goes");
        assertFalse(Files.exists(oldest.path));
        assertEquals(2, store.segmentCount());
        assertEquals(3, limit.droppedCycles(), "records 3-5: 1 was written, 2 is with the writer");
        assertEquals(3L * SpoolFixture.LAYOUTS.size(), limit.droppedRows());
        assertEquals(3, counters.cyclesDropped());
        assertEquals(3L * SpoolFixture.LAYOUTS.size(), ledger.droppedTicks(), "one per table and tick");
        assertTrue(store.isCommitted(5));
        assertEquals(10, store.pendingRecords());
    }

    @Test
    void aSpoolWithOnlyItsHeadSegmentRollsToDropIt() throws Exception {
        store = StoreFixture.open(dir, 64 << 20);
        StoreFixture.append(store, 0, 3);
        SpaceLimit limit = limit(WhenFull.DROP_OLDEST, store.totalBytes(), -1);
        assertTrue(limit.makeRoom(store, record));
        assertEquals(3, limit.droppedCycles());
        assertEquals(0, store.pendingRecords());
    }
}
