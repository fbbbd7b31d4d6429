package org.openess.gateway.storage.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.openess.gateway.testsupport.UnitTest;
import org.openess.gateway.storage.buffer.Batch;

/** The order the writer gets batches in: retries, live data, backlog while a replay slot is free. */
@UnitTest
class ReadyBatchesTest {
    final AtomicInteger wakes = new AtomicInteger();

    private static Batch batch(int second) {
        return GroupBatches.of(List.of(StoreFixture.cycle(second)), 10).get(0);
    }

    @Test
    void retriesThenLiveThenBacklog() {
        ReadyBatches ready = new ReadyBatches(wakes::incrementAndGet);
        Batch backlog = batch(0);
        Batch live = batch(1);
        Batch failed = batch(2);
        ready.add(List.of(backlog), true);
        ready.add(List.of(live), false);
        ready.retry(failed);
        assertEquals(1, ready.liveRows());
        assertEquals(1, ready.replayRows());
        assertSame(failed, ready.take(true));
        assertEquals(0, wakes.get(), "a retry makes no room for a new group");
        assertSame(live, ready.take(true));
        assertEquals(0, ready.liveRows());
        assertEquals(1, wakes.get());
        assertSame(backlog, ready.take(true));
        assertEquals(0, ready.replayRows());
        assertEquals(2, wakes.get());
        assertNull(ready.take(true));
    }

    @Test
    void backlogWaitsWhileNoReplaySlotIsFree() {
        ReadyBatches ready = new ReadyBatches(wakes::incrementAndGet);
        Batch backlog = batch(0);
        ready.add(List.of(backlog), true);
        assertNull(ready.take(false));
        Batch failed = batch(1);
        ready.retry(failed);
        assertSame(failed, ready.take(false), "a retry goes out whatever the slots");
        assertSame(backlog, ready.take(true));
    }
}
