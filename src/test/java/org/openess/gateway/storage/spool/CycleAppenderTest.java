package org.openess.gateway.storage.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openess.gateway.testsupport.UnitTest;
import org.openess.gateway.config.WhenFull;
import org.openess.gateway.config.SyncPolicy;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.storage.buffer.BufferCounters;
import org.openess.gateway.storage.buffer.DropLedger;
import org.openess.gateway.storage.buffer.MemoryRowBuffer;

/** Drained cycles to disk, to memory while the disk fails, or refused when the spool is full. */
@UnitTest
class CycleAppenderTest {
    @TempDir
    Path dir;
    final AtomicLong millis = new AtomicLong(1_000_000);
    final BufferCounters counters = new BufferCounters();
    final MemoryRowBuffer memory = new MemoryRowBuffer(100_000);
    final MemoryFallback fallback = new MemoryFallback(Path.of("/spool"), memory, millis::get);
    final LiveWindow window = new LiveWindow(1, 20); // eight records: one cycle
    final BacklogRanges backlog = new BacklogRanges();
    final List<IOException> failures = new ArrayList<>();
    SpoolStore store;

    @AfterEach
    void close() {
        store.close();
    }

    private CycleAppender appender(WhenFull whenFull, long maxBytes, SyncSchedule sync) throws IOException {
        store = StoreFixture.open(dir.resolve("spool"), 64 << 20);
        SpaceLimit space = new SpaceLimit(StoreFixture.settings(dir, SyncPolicy.ALWAYS, whenFull, maxBytes), StoreFixture.codec(),
                new DropLedger(1_000), counters, seq -> false, s -> {
                });
        return new CycleAppender(StoreFixture.codec(), space, fallback, sync, window, backlog, counters, e -> {
            failures.add(e);
            fallback.enter(e);
        });
    }

    private static List<CycleOutput> cycles(int from, int count) {
        List<CycleOutput> out = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            out.add(StoreFixture.cycle(i));
        }
        return out;
    }

    @Test
    void cyclesGoToDiskAndTheNewestStayInTheWindow() throws Exception {
        SyncSchedule sync = new SyncSchedule(SyncPolicy.ALWAYS, 50, millis::get);
        CycleAppender a = appender(WhenFull.DROP_OLDEST, 64 << 20, sync);
        a.append(store, cycles(0, 3));
        assertEquals(3, store.pendingRecords());
        assertEquals(3L * SpoolFixture.LAYOUTS.size(), counters.rowsAccepted());
        assertFalse(store.unsynced(), "sync=always forced them");
        assertEquals(1, sync.syncs(), "once for the drained list");
        assertEquals(StoreFixture.cycle(0).records(), window.records(), "one cycle fits the window");
        assertEquals(1, backlog.first(), "the older two became backlog");
        assertEquals(2, backlog.pending());
    }

    @Test
    void aFailingDiskSendsThisAndTheFollowingCyclesToMemory() throws Exception {
        CycleAppender a = appender(WhenFull.DROP_OLDEST, 64 << 20, new SyncSchedule(SyncPolicy.INTERVAL, 50, millis::get));
        a.append(store, cycles(0, 1));
        store.closeHead();
        try (var files = Files.list(dir.resolve("spool"))) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir.resolve("spool"));
        a.append(store, cycles(1, 3));
        assertEquals(1, failures.size());
        assertNotNull(fallback.reason());
        assertEquals(3, fallback.cycles());
        assertEquals(3L * StoreFixture.cycle(0).records(), memory.size());
        assertEquals(SpoolFixture.LAYOUTS.size(), counters.rowsAccepted(), "only the cycle on disk counts as taken");
    }

    @Test
    void whatDoesNotFitIsRefused() throws Exception {
        CycleAppender a = appender(WhenFull.DROP_NEWEST, SpoolFormat.HEADER_BYTES + 2L * StoreFixture.recordBytes(),
                new SyncSchedule(SyncPolicy.INTERVAL, 50, millis::get));
        a.append(store, cycles(0, 4));
        assertEquals(2, store.pendingRecords());
        assertEquals(2, counters.cyclesDropped());
        assertEquals(0, fallback.cycles());
    }
}
