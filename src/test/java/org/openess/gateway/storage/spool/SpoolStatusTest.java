package org.openess.gateway.storage.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openess.gateway.testsupport.UnitTest;
import org.openess.gateway.config.WhenFull;
import org.openess.gateway.config.SyncPolicy;
import org.openess.gateway.storage.buffer.BufferCounters;
import org.openess.gateway.storage.buffer.DropLedger;
import org.openess.gateway.storage.buffer.MemoryRowBuffer;

/** /api/status's spool section, read off the spool's parts. */
@UnitTest
class SpoolStatusTest {
    @TempDir
    Path dir;

    @Test
    void eachFieldComesFromItsPart() throws Exception {
        AtomicLong millis = new AtomicLong(SpoolFixture.T0 + 90_000);
        SpoolRowBuffer.Settings settings = StoreFixture.settings(dir, SyncPolicy.NEVER, WhenFull.DROP_NEWEST, 1 << 20);
        HandOff handoff = new HandOff(1, () -> {
        });
        handoff.offer(StoreFixture.cycle(0));
        handoff.offer(StoreFixture.cycle(1));
        LiveWindow window = new LiveWindow(100, 20);
        window.add(5, StoreFixture.cycle(4));
        BacklogReplay replay = new BacklogReplay(StoreFixture.codec(), 100, new ReplayRate(0, System::nanoTime), millis::get);
        replay.backlog().add(1, 4);
        Acknowledgements acks = new Acknowledgements(1, () -> {
        });
        SpaceLimit space = new SpaceLimit(settings, StoreFixture.codec(), new DropLedger(100), new BufferCounters(), seq -> false,
                s -> {
                });
        space.refuse(StoreFixture.cycle(9));
        MemoryFallback fallback = new MemoryFallback(dir, new MemoryRowBuffer(1_000), millis::get);
        fallback.offer(StoreFixture.cycle(8));
        SyncSchedule sync = new SyncSchedule(SyncPolicy.NEVER, 50, millis::get);
        SpoolStatus status = new SpoolStatus(settings, handoff, window, replay, acks, space, fallback, sync, millis::get);

        SpoolStore store = StoreFixture.open(dir, 64 << 20);
        StoreFixture.append(store, 0, 5);
        SpoolRowBuffer.Status s = status.read(store);
        assertEquals(dir.toString(), s.dir());
        assertEquals("never", s.sync());
        assertEquals("drop-newest", s.whenFull());
        assertEquals(store.totalBytes(), s.bytes());
        assertEquals(1 << 20, s.maxBytes());
        assertEquals(1, s.segments());
        assertEquals(5, s.records());
        assertEquals(Instant.ofEpochMilli(SpoolFixture.T0).toString(), s.oldestUnsentTick());
        assertEquals(90, s.oldestUnsentAgeSeconds());
        assertEquals(4, s.replayPending());
        assertEquals(0, s.replayedRecords());
        assertEquals(StoreFixture.cycle(0).records(), s.liveWindowRows());
        assertEquals(1, s.droppedCycles());
        assertEquals(SpoolFixture.LAYOUTS.size(), s.droppedRows());
        assertEquals(1, s.handoffQueued());
        assertEquals(1, s.handoffOverflows());
        assertEquals(1, s.fallbackCycles());
        assertEquals(StoreFixture.cycle(0).records(), s.memoryBuffered());
        assertEquals(false, s.fallback());
        assertNull(s.fallbackReason());

        fallback.enter(new IOException("Read-only file system"));
        store.commit(1, 5);
        s = status.read(store);
        assertTrue(s.fallback());
        assertTrue(s.fallbackReason().contains("Read-only"));
        assertEquals(0, s.records());
        assertNull(s.oldestUnsentTick(), "nothing unsent");
        assertEquals(0, s.oldestUnsentAgeSeconds());
        store.close();
    }
}
