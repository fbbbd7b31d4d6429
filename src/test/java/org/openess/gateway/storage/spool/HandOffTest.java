package org.openess.gateway.storage.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.openess.gateway.testsupport.UnitTest;
import org.openess.gateway.decode.CycleOutput;

/** The bounded queue to the spool thread: refusals counted, the thread woken when work arrives. */
@UnitTest
class HandOffTest {
    @Test
    void aFullQueueRefusesAndCounts() {
        AtomicInteger wakes = new AtomicInteger();
        HandOff h = new HandOff(2, wakes::incrementAndGet);
        assertTrue(h.offer(StoreFixture.cycle(0)));
        assertEquals(1, wakes.get(), "the first cycle wakes the spool thread");
        assertTrue(h.offer(StoreFixture.cycle(1)));
        assertEquals(1, wakes.get(), "it is already awake for the second");
        assertFalse(h.offer(StoreFixture.cycle(2)));
        assertFalse(h.offer(StoreFixture.cycle(3)));
        assertEquals(2, h.overflows());
        assertEquals(2, h.size());
    }

    @Test
    void drainingReplacesTheListInOrder() {
        HandOff h = new HandOff(10, () -> {
        });
        List<CycleOutput> into = new ArrayList<>(List.of(StoreFixture.cycle(9)));
        assertFalse(h.drainTo(into));
        assertTrue(into.isEmpty());
        h.offer(StoreFixture.cycle(0));
        h.offer(StoreFixture.cycle(1));
        assertTrue(h.drainTo(into));
        assertEquals(List.of(SpoolFixture.T0, SpoolFixture.T0 + 1_000), into.stream().map(CycleOutput::tickMillis).toList());
        assertTrue(h.isEmpty());
    }
}
