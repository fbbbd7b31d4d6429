package org.openess.gateway.storage.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openess.gateway.testsupport.UnitTest;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.storage.buffer.Batch;

/** Groups from the live window and the backlog become tracked batches for the writer. */
@UnitTest
class GroupHandOutTest {
    /** Records of one fixture cycle: a row per table, one quality and one gap record. */
    private static final long RECORDS = StoreFixture.cycle(0).records();
    @TempDir
    Path dir;
    final AtomicLong millis = new AtomicLong(1_000_000);
    final AtomicInteger writerWakes = new AtomicInteger();
    final LiveWindow window = new LiveWindow(2, 20);
    final ReadyBatches ready = new ReadyBatches(() -> {
    });
    final Acknowledgements acks = new Acknowledgements(1, () -> {
    });
    BacklogReplay replay;
    GroupHandOut handOut;
    SpoolStore store;

    @BeforeEach
    void open() throws Exception {
        store = StoreFixture.open(dir, 64 << 20);
        replay = new BacklogReplay(StoreFixture.codec(), 2, new ReplayRate(0, System::nanoTime), millis::get);
        handOut = new GroupHandOut(2, window, replay, acks, ready);
        handOut.onReady(writerWakes::incrementAndGet);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void liveAndBacklogGroupsAreHandedOutAndTracked() throws Exception {
        StoreFixture.append(store, 0, 3);
        replay.backlog().add(1, 2);
        window.add(3, StoreFixture.cycle(2));
        handOut.handOut(store, millis.get());
        assertEquals(2, writerWakes.get(), "one wake-up per group");
        assertEquals(RECORDS, ready.liveRows());
        assertEquals(2L * RECORDS, ready.replayRows());
        Batch live = ready.take(true);
        assertFalse(acks.replayed(live));
        assertEquals(SpoolFixture.T0 + 2_000, ((Batch.Rows) live).rows().get(0).tickMillis());
        assertTrue(acks.isOutstanding(3));
        assertTrue(acks.isOutstanding(1) && acks.isOutstanding(2));
    }

    @Test
    void moreLiveWaitsWhileTwoBatchesOfLiveRowsAreNotTaken() throws Exception {
        StoreFixture.append(store, 0, 6);
        for (int i = 1; i <= 6; i++) {
            window.add(i, StoreFixture.cycle(i - 1));
        }
        handOut.handOut(store, millis.get());
        assertEquals(2L * RECORDS, ready.liveRows(), "a group of two cycles (batch-rows 2)");
        handOut.handOut(store, millis.get() + 1_000);
        assertEquals(1, writerWakes.get(), "held back: two batches' worth are waiting");
        assertEquals(4L * RECORDS, window.records(), "the rest waits in the window");
        while (ready.liveRows() >= 4) {
            ready.take(true);
        }
        handOut.handOut(store, millis.get() + 1_000);
        assertEquals(2, writerWakes.get(), "taken: the next group goes");
    }

    @Test
    void cyclesWithNothingToWriteAreDoneAtOnce() throws Exception {
        CycleOutput empty = new CycleOutput("site-a", SpoolFixture.T0, List.of(), List.of(), List.of());
        window.add(1, empty);
        handOut.handOut(store, millis.get());
        assertTrue(store.isCommitted(1));
        assertEquals(0, writerWakes.get());
        assertEquals(0, ready.liveRows());
    }
}
