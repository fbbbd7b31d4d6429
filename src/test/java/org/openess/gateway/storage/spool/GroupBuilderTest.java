package org.openess.gateway.storage.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.openess.gateway.testsupport.UnitTest;

/** Gathering records into a group: no table over batch-rows, the first cycle always in. */
@UnitTest
class GroupBuilderTest {
    @Test
    void cyclesFitUntilATableWouldExceedBatchRows() {
        GroupBuilder g = new GroupBuilder(3);
        assertTrue(g.isEmpty());
        assertTrue(g.add(10, StoreFixture.cycle(0)));
        assertTrue(g.add(11, StoreFixture.cycle(1)));
        assertTrue(g.add(12, StoreFixture.cycle(2)));
        assertFalse(g.add(13, StoreFixture.cycle(3)), "a fourth row per table is over batch-rows");
        assertEquals(10, g.from());
        assertEquals(12, g.to());
        assertEquals(3, g.cycles().size());
        assertEquals(3 * SpoolFixture.LAYOUTS.size(), g.rows());
    }

    @Test
    void theFirstCycleAlwaysFitsEvenWhenLargerThanABatch() {
        GroupBuilder g = new GroupBuilder(0);
        assertTrue(g.add(7, StoreFixture.cycle(0)));
        assertFalse(g.add(8, StoreFixture.cycle(1)));
        assertEquals(List.of(StoreFixture.cycle(0).tickMillis()), g.cycles().stream().map(c -> c.tickMillis()).toList());
        assertEquals(7, g.from());
        assertEquals(7, g.to());
    }

    @Test
    void anEmptyGroupHasNoRange() {
        GroupBuilder g = new GroupBuilder(5);
        assertEquals(-1, g.from());
        assertEquals(-1, g.to());
        assertEquals(0, g.rows());
    }
}
