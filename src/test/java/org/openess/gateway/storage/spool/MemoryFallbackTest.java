package org.openess.gateway.storage.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.openess.gateway.testsupport.UnitTest;
import org.openess.gateway.storage.buffer.MemoryRowBuffer;

/** Cycles go to memory while the disk cannot be written; a probe every 5 s, on a clock the test moves. */
@UnitTest
class MemoryFallbackTest {
    final AtomicLong millis = new AtomicLong(1_000_000);
    final MemoryRowBuffer memory = new MemoryRowBuffer(1_000);
    final MemoryFallback fallback = new MemoryFallback(Path.of("/spool"), memory, millis::get);
    final AtomicInteger probes = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();

    @Test
    void offeredCyclesAreCountedAndWaitInMemory() {
        assertTrue(fallback.offer(StoreFixture.cycle(0)));
        assertEquals(1, fallback.cycles());
        assertEquals(StoreFixture.cycle(0).records(), fallback.buffered());
    }

    @Test
    void aFailedDiskIsProbedEveryFiveSecondsUntilItTakesWritesAgain() {
        fallback.probeIfDue(probes::incrementAndGet, failures::incrementAndGet);
        assertEquals(0, probes.get(), "no probe while the disk is fine");

        fallback.enter(new IOException("No space left on device"));
        assertTrue(fallback.active());
        assertTrue(fallback.reason().contains("No space left"));
        MemoryFallback.Probe stillFull = () -> {
            probes.incrementAndGet();
            throw new IOException("still full");
        };
        millis.addAndGet(MemoryFallback.PROBE_MILLIS - 1);
        fallback.probeIfDue(stillFull, failures::incrementAndGet);
        assertEquals(0, probes.get(), "not yet due");
        millis.addAndGet(1);
        fallback.probeIfDue(stillFull, failures::incrementAndGet);
        assertEquals(1, probes.get());
        assertEquals(1, failures.get());
        assertTrue(fallback.active());
        assertTrue(fallback.reason().contains("still full"));

        fallback.probeIfDue(probes::incrementAndGet, failures::incrementAndGet);
        assertEquals(1, probes.get(), "the next probe is 5 s after the failed one");
        millis.addAndGet(MemoryFallback.PROBE_MILLIS);
        fallback.probeIfDue(probes::incrementAndGet, failures::incrementAndGet);
        assertEquals(2, probes.get());
        assertFalse(fallback.active());
        assertNull(fallback.reason());
        assertEquals(1, failures.get());
    }
}
