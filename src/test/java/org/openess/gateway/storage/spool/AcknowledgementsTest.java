package org.openess.gateway.storage.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openess.gateway.testsupport.UnitTest;
import org.openess.gateway.storage.buffer.Batch;

/** A group's records are committed only when every batch made from it is acknowledged; replay slots. */
@UnitTest
class AcknowledgementsTest {
    @TempDir
    Path dir;
    final AtomicInteger wakes = new AtomicInteger();

    private static List<Batch> batches(int n) {
        return GroupBatches.of(List.of(StoreFixture.cycle(0)), 1).subList(0, n);
    }

    @Test
    void aGroupIsCommittedWhenItsLastBatchIsAcknowledged() throws Exception {
        SpoolStore store = StoreFixture.open(dir, 64 << 20);
        StoreFixture.append(store, 0, 3);
        Acknowledgements acks = new Acknowledgements(1, wakes::incrementAndGet);
        RecordGroup g = new RecordGroup(1, 3, false);
        List<Batch> batches = batches(3);
        acks.track(g, batches);
        assertTrue(acks.isOutstanding(2));
        assertFalse(acks.isOutstanding(4));
        assertSame(g, acks.ack(batches.get(0)));
        assertSame(g, acks.ack(batches.get(2)));
        assertFalse(acks.hasCompleted());
        assertEquals(0, wakes.get());
        acks.ack(batches.get(1));
        assertTrue(acks.hasCompleted());
        assertEquals(1, wakes.get(), "the spool thread is woken to commit");
        acks.commitCompleted(store);
        assertTrue(store.isCommitted(1) && store.isCommitted(3));
        assertFalse(acks.isOutstanding(2));
        assertFalse(acks.hasCompleted());
        assertEquals(0, acks.replayedRecords(), "a live group");
        store.close();
    }

    @Test
    void replayedGroupsAreCountedWhenWritten() throws Exception {
        SpoolStore store = StoreFixture.open(dir, 64 << 20);
        StoreFixture.append(store, 0, 5);
        Acknowledgements acks = new Acknowledgements(1, wakes::incrementAndGet);
        List<Batch> batches = batches(1);
        acks.track(new RecordGroup(2, 5, true), batches);
        assertTrue(acks.replayed(batches.get(0)));
        acks.ack(batches.get(0));
        acks.commitCompleted(store);
        assertEquals(4, acks.replayedRecords());
        store.close();
    }

    @Test
    void replayBatchesHoldASlotUntilAcknowledgedOrRequeued() {
        Acknowledgements acks = new Acknowledgements(1, wakes::incrementAndGet);
        List<Batch> replay = batches(2);
        acks.track(new RecordGroup(1, 1, true), replay);
        List<Batch> live = GroupBatches.of(List.of(StoreFixture.cycle(1)), 10);
        acks.track(new RecordGroup(2, 2, false), live);
        acks.taken(live.get(0));
        assertTrue(acks.replaySlotFree(), "live batches hold no replay slot");
        acks.taken(replay.get(0));
        assertFalse(acks.replaySlotFree());
        assertTrue(acks.requeued(replay.get(0)));
        assertTrue(acks.replaySlotFree());
        acks.taken(replay.get(0));
        acks.ack(replay.get(0));
        assertTrue(acks.replaySlotFree());
    }

    @Test
    void batchesTheSpoolDidNotMakeAreNotItsOwn() {
        Acknowledgements acks = new Acknowledgements(1, wakes::incrementAndGet);
        Batch other = batches(1).get(0);
        assertFalse(acks.owns(other));
        assertFalse(acks.replayed(other));
        assertNull(acks.ack(other));
        assertFalse(acks.requeued(other));
    }
}
