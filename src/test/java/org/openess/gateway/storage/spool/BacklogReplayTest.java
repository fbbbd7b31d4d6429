package org.openess.gateway.storage.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.openess.gateway.testsupport.UnitTest;

/** The backlog read back in groups of consecutive records, within the rate, around what is committed or unreadable. */
@UnitTest
class BacklogReplayTest {
    @TempDir
    Path dir;
    final AtomicLong millis = new AtomicLong(1_000_000);
    final AtomicLong nanos = new AtomicLong();
    SpoolStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    /** One segment holding records 1 to {@code n}, all in the backlog; groups of at most {@code batchRows} cycles. */
    private BacklogReplay replay(int n, int batchRows, int rowsPerSecond) throws Exception {
        store = StoreFixture.open(dir, 64 << 20);
        StoreFixture.append(store, 0, n);
        BacklogReplay replay = new BacklogReplay(StoreFixture.codec(), batchRows, new ReplayRate(rowsPerSecond, nanos::get),
                millis::get);
        replay.backlog().add(1, n);
        return replay;
    }

    private static String range(GroupBuilder g) {
        return g == null ? "none" : g.from() + "-" + g.to();
    }

    @Test
    void groupsOfConsecutiveRecordsInOrder() throws Exception {
        BacklogReplay r = replay(5, 2, 0);
        assertEquals("1-2", range(r.next(store)));
        assertEquals("3-4", range(r.next(store)));
        GroupBuilder last = r.next(store);
        assertEquals("5-5", range(last));
        assertEquals(SpoolFixture.T0 + 4_000, last.cycles().get(0).tickMillis());
        assertNull(r.next(store));
        assertEquals(0, r.backlog().pending());
    }

    @Test
    void aCommittedRecordIsSkippedAndEndsTheGroup() throws Exception {
        BacklogReplay r = replay(6, 2, 0);
        store.commit(3, 3);
        assertEquals("1-2", range(r.next(store)));
        assertEquals("4-5", range(r.next(store)));
        assertEquals("6-6", range(r.next(store)));
    }

    @Test
    void theRecordThatDidNotFitIsKeptAndNotReadAgain() throws Exception {
        BacklogReplay r = replay(3, 2, 0);
        assertEquals("1-2", range(r.next(store)));
        Files.delete(store.segmentOf(3).path);
        assertEquals("3-3", range(r.next(store)), "record 3 came from memory: its file is gone");
    }

    @Test
    void theRateHoldsTheNextGroupBack() throws Exception {
        int rowsPerCycle = SpoolFixture.LAYOUTS.size();
        BacklogReplay r = replay(4, 2, 2 * rowsPerCycle);
        assertEquals("1-2", range(r.next(store)));
        assertNull(r.next(store), "a second's worth spent");
        nanos.addAndGet(500_000_000L);
        assertNull(r.next(store), "half of it paid back");
        nanos.addAndGet(500_000_000L);
        assertEquals("3-4", range(r.next(store)));
    }

    @Test
    void anUnreadableFolderPausesTheReplayAndLosesNothing() throws Exception {
        BacklogReplay r = replay(2, 10, 0);
        Path segment = store.segmentOf(1).path;
        Path away = segment.resolveSibling("away");
        Files.move(segment, away);
        assertNull(r.next(store));
        Files.move(away, segment);
        millis.addAndGet(BacklogReplay.PAUSE_MILLIS - 1);
        assertNull(r.next(store), "paused");
        millis.addAndGet(1);
        assertEquals("1-2", range(r.next(store)));
    }

    @Test
    void aRecordThatCannotBeDecodedIsCountedCommittedAndSkipped() throws Exception {
        store = StoreFixture.open(dir, 64 << 20);
        StoreFixture.append(store, 0, 1);
        byte[] unknownVersion = { 0x7f, 0, 0, 0, 0, 0, 0, 0 };
        store.append(unknownVersion, unknownVersion.length, SpoolFixture.T0 + 1_000);
        StoreFixture.append(store, 2, 1);
        BacklogReplay r = new BacklogReplay(StoreFixture.codec(), 10, new ReplayRate(0, nanos::get), millis::get);
        r.backlog().add(1, 3);
        assertEquals("1-1", range(r.next(store)));
        assertEquals("3-3", range(r.next(store)));
        assertEquals(1, store.corruptRecords);
        assertTrue(store.isCommitted(2));
    }
}
