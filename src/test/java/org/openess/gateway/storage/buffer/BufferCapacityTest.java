package org.openess.gateway.storage.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.openess.gateway.decode.CycleDecoder;
import org.openess.gateway.profile.ProfileLoader;
import org.openess.gateway.profile.TableLayout;
import org.openess.gateway.testsupport.UnitTest;

/** The memory buffer never promises more records than the heap can hold. */
@UnitTest
class BufferCapacityTest {
    static final List<TableLayout> OPERATION1 = List.copyOf(CycleDecoder.layoutsOf(ProfileLoader.load("operation1")).values());

    @Test
    void aBufferThatFitsKeepsItsConfiguredSize() {
        BufferCapacity c = BufferCapacity.of(200_000, OPERATION1, 1024L << 20);
        assertFalse(c.capped());
        assertEquals(200_000, c.rows());
        assertEquals("ess.storage.buffer-rows=200000", c.describe());
    }

    @Test
    void aBufferLargerThanTheHeapCanHoldIsCappedAndSaysSo() {
        long heap = 128L << 20;
        BufferCapacity c = BufferCapacity.of(200_000, OPERATION1, heap);
        assertTrue(c.capped(), c.toString());
        // what it holds fits in the share of the heap it may take
        assertTrue(c.rows() * c.bytesPerRecord() <= heap * BufferCapacity.HEAP_PERCENT / 100, c.toString());
        assertTrue(c.rows() > 50_000, "a 128 MiB heap still buffers tens of thousands of rows: " + c);
        assertEquals("ess.storage.buffer-rows=200000, capped at " + c.rows() + " by the heap (-Xmx128m)", c.describe());
    }

    @Test
    void theWidestTableSetsTheSizeOfARecord() {
        int widest = OPERATION1.stream().mapToInt(TableLayout::width).max().orElseThrow();
        assertTrue(BufferCapacity.bytesPerRecord(OPERATION1) >= 8L * widest, "cells alone are 8 bytes a column");
    }
}
