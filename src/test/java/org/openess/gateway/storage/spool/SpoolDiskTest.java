package org.openess.gateway.storage.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openess.gateway.testsupport.UnitTest;
import org.openess.gateway.config.WhenFull;
import org.openess.gateway.config.SyncPolicy;
import org.openess.gateway.storage.buffer.MemoryRowBuffer;

/** The spool folder's life: recovered at start, given up for memory, probed and reopened, closed. */
@UnitTest
class SpoolDiskTest {
    @TempDir
    Path tmp;
    final AtomicLong millis = new AtomicLong(1_000_000);
    final BacklogReplay replay = new BacklogReplay(StoreFixture.codec(), 100, new ReplayRate(0, System::nanoTime), millis::get);

    private SpoolDisk disk(Path dir, MemoryFallback fallback) {
        SpoolRowBuffer.Settings settings = StoreFixture.settings(dir, SyncPolicy.INTERVAL, WhenFull.DROP_OLDEST, 64 << 20);
        return new SpoolDisk(settings, StoreFixture.codec(), new SyncSchedule(SyncPolicy.INTERVAL, 50, millis::get), replay,
                fallback);
    }

    private MemoryFallback fallback(Path dir) {
        return new MemoryFallback(dir, new MemoryRowBuffer(1_000), millis::get);
    }

    @Test
    void whatAnEarlierRunLeftBecomesBacklog() throws Exception {
        Path dir = tmp.resolve("spool");
        SpoolStore earlier = StoreFixture.open(dir, 64 << 20);
        StoreFixture.append(earlier, 0, 4);
        earlier.commit(1, 1);
        earlier.persistAcks(true);
        earlier.close();
        SpoolDisk disk = disk(dir, fallback(dir));
        disk.open();
        assertEquals(3, disk.store().pendingRecords());
        assertEquals(2, replay.backlog().first());
        assertEquals(3, replay.backlog().pending());
        disk.close();
    }

    @Test
    void aFolderUnusableAtStartIsProbedAndOpenedOnceItCanBe() throws Exception {
        Path blocker = Files.writeString(tmp.resolve("not-a-folder"), "x");
        Path dir = blocker.resolve("spool");
        MemoryFallback fallback = fallback(dir);
        SpoolDisk disk = disk(dir, fallback);
        disk.open();
        assertTrue(fallback.active());
        Files.delete(blocker);
        disk.probeIfDue();
        assertTrue(fallback.active(), "not before the probe is due");
        millis.addAndGet(MemoryFallback.PROBE_MILLIS);
        disk.probeIfDue();
        assertFalse(fallback.active());
        StoreFixture.append(disk.store(), 0, 2);
        assertEquals(2, disk.store().pendingRecords(), "a fresh store, written to");
        disk.close();
    }

    @Test
    void aFailureSendsCyclesToMemoryAndSkipsSyncsUntilTheProbe() throws Exception {
        Path dir = tmp.resolve("spool");
        MemoryFallback fallback = fallback(dir);
        SpoolDisk disk = disk(dir, fallback);
        disk.open();
        StoreFixture.append(disk.store(), 0, 1);
        disk.failed(new IOException("Input/output error"));
        assertTrue(fallback.active());
        assertFalse(disk.store().unsynced(), "the head was closed (and forced)");
        millis.addAndGet(MemoryFallback.PROBE_MILLIS);
        disk.probeIfDue();
        assertFalse(fallback.active(), "the folder is fine: a new head segment was written");
        StoreFixture.append(disk.store(), 1, 1);
        assertEquals(2, disk.store().pendingRecords());
        disk.close();
        assertFalse(disk.store().unsynced(), "forced at close");
    }
}
