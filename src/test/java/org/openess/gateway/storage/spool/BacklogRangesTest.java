package org.openess.gateway.storage.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import org.openess.gateway.testsupport.UnitTest;

/** The backlog's ranges: merged when adjacent, read in order, trimmed when segments go. */
@UnitTest
class BacklogRangesTest {
    @Test
    void adjacentRangesMergeAndAreReadInOrder() {
        BacklogRanges b = new BacklogRanges();
        assertTrue(b.isEmpty());
        b.add(5, 5);
        b.add(6, 7);
        b.add(10, 10);
        assertEquals(4, b.pending());
        long[] read = new long[4];
        for (int i = 0; i < 4; i++) {
            read[i] = b.first();
            b.advance();
        }
        assertEquals("[5, 6, 7, 10]", java.util.Arrays.toString(read));
        assertTrue(b.isEmpty());
        assertEquals(0, b.pending());
    }

    @Test
    void trimmingForgetsWhatLiesBelow() {
        BacklogRanges b = new BacklogRanges();
        b.add(1, 3);
        b.add(6, 9);
        b.trimBelow(7);
        assertEquals(7, b.first());
        assertEquals(3, b.pending());
        b.trimBelow(2);
        assertEquals(7, b.first(), "nothing below is brought back");
        b.trimBelow(100);
        assertTrue(b.isEmpty());
    }
}
