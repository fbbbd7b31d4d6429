package org.openess.gateway.storage.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import org.openess.gateway.testsupport.UnitTest;

/** The live window: when its cycles are due, how it spills into the backlog, what a dropped segment takes. */
@UnitTest
class LiveWindowTest {
    /** Records of one fixture cycle: a row per table, one quality and one gap record. */
    private static final int RECORDS = StoreFixture.cycle(0).records();

    @Test
    void aGroupIsDueWhenABatchIsFullOrTheFlushIntervalHasPassed() {
        LiveWindow w = new LiveWindow(RECORDS + 1, 20);
        assertNull(w.takeIfDue(1_000), "empty");
        w.add(1, StoreFixture.cycle(0));
        GroupBuilder g = w.takeIfDue(1_000);
        assertNotNull(g, "the first hand-out is not held back");
        assertEquals(1, g.from());
        w.add(2, StoreFixture.cycle(1));
        assertNull(w.takeIfDue(1_019), "less than a batch, within the flush interval");
        assertNotNull(w.takeIfDue(1_020), "the flush interval passed");
        w.add(3, StoreFixture.cycle(2));
        w.add(4, StoreFixture.cycle(3));
        GroupBuilder full = w.takeIfDue(1_021);
        assertNotNull(full, "a batch's worth is due at once");
        assertEquals(3, full.from());
        assertEquals(0, w.records());
    }

    @Test
    void aGroupTakesTheOldestCyclesUpToBatchRowsPerTable() {
        LiveWindow w = new LiveWindow(2, 0);
        for (int i = 1; i <= 5; i++) {
            w.add(i, StoreFixture.cycle(i));
        }
        GroupBuilder g = w.takeIfDue(1);
        assertEquals(1, g.from());
        assertEquals(2, g.to());
        assertEquals(3L * RECORDS, w.records());
    }

    @Test
    void whatFallsOutOfTheWindowBecomesBacklogButTheNewestStays() {
        LiveWindow w = new LiveWindow(1, 20); // holds 8 records
        BacklogRanges backlog = new BacklogRanges();
        for (int i = 1; i <= 3; i++) {
            w.add(i, StoreFixture.cycle(i));
        }
        w.spillInto(backlog);
        assertEquals(RECORDS, w.records(), "one cycle left");
        assertEquals(1, backlog.first());
        assertEquals(2, backlog.pending());

        LiveWindow single = new LiveWindow(0, 20); // holds 1 record, less than one cycle
        single.add(9, StoreFixture.cycle(9));
        single.spillInto(backlog);
        assertEquals(RECORDS, single.records(), "a single cycle stays even when over the size");
    }

    @Test
    void aDroppedSegmentTakesItsCyclesOutOfTheWindow() {
        LiveWindow w = new LiveWindow(100, 20);
        for (int i = 1; i <= 4; i++) {
            w.add(i, StoreFixture.cycle(i));
        }
        w.dropThrough(2);
        assertEquals(2L * RECORDS, w.records());
        GroupBuilder g = w.takeIfDue(1_000);
        assertEquals(3, g.from());
        assertEquals(4, g.to());
        w.add(5, StoreFixture.cycle(5));
        w.dropThrough(10);
        assertEquals(0, w.records());
        assertNull(w.takeIfDue(5_000));
    }
}
