package org.openess.gateway.storage.spool;

import org.openess.gateway.testsupport.UnitTest;
import org.openess.gateway.config.SyncPolicy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When each sync policy forces appended records, and how often acknowledgements are written; clock moved by the test. */
@UnitTest
class SyncScheduleTest {
    @TempDir
    Path dir;
    final AtomicLong millis = new AtomicLong(1_000_000);
    SpoolStore store;

    @AfterEach
    void close() {
        store.close();
    }

    private SyncSchedule schedule(SyncPolicy policy) throws Exception {
        store = StoreFixture.open(dir, 64 << 20);
        StoreFixture.append(store, 0, 1);
        return new SyncSchedule(policy, 200, millis::get);
    }

    @Test
    void intervalForcesOncePerInterval() throws Exception {
        SyncSchedule s = schedule(SyncPolicy.INTERVAL);
        s.appended(store);
        s.syncIfDue(store, false);
        assertTrue(store.unsynced(), "within the interval");
        millis.addAndGet(200);
        s.syncIfDue(store, false);
        assertFalse(store.unsynced());
        assertEquals(1, s.syncs());
        s.syncIfDue(store, false);
        assertEquals(1, s.syncs(), "nothing new to force");
        assertTrue(s.forces());
    }

    @Test
    void alwaysForcesWhatWasAppendedAtOnce() throws Exception {
        SyncSchedule s = schedule(SyncPolicy.ALWAYS);
        s.appended(store);
        assertFalse(store.unsynced());
        assertEquals(1, s.syncs());
    }

    @Test
    void neverLeavesItToTheSystemUntilStopping() throws Exception {
        SyncSchedule s = schedule(SyncPolicy.NEVER);
        s.appended(store);
        millis.addAndGet(60_000);
        s.syncIfDue(store, false);
        assertTrue(store.unsynced());
        assertFalse(s.forces());
        s.syncIfDue(store, true);
        assertFalse(store.unsynced(), "forced at close");
        assertEquals(1, s.syncs());
    }

    @Test
    void acknowledgementsAreWrittenEverySyncIntervalAndWhenStopping() throws Exception {
        SyncSchedule s = schedule(SyncPolicy.INTERVAL);
        Path acked = dir.resolve(SpoolStore.ACKED);
        s.persistAcksIfDue(store, false, false);
        store.commit(1, 1);
        assertFalse(Files.exists(acked), "nothing committed at the first write");
        millis.addAndGet(199);
        s.persistAcksIfDue(store, false, false);
        assertFalse(Files.exists(acked), "within the interval");
        millis.addAndGet(1);
        s.persistAcksIfDue(store, false, false);
        assertTrue(Files.exists(acked));
        Files.delete(acked);
        store.commit(2, 2);
        s.persistAcksIfDue(store, true, false);
        assertTrue(Files.exists(acked), "stopping writes at once");
    }
}
