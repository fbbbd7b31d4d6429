package org.openess.gateway.storage.spool;

import org.openess.gateway.config.WhenFull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.decode.GapEvent;
import org.openess.gateway.testsupport.UnitTest;

/**
 * The spool behind the {@link org.openess.gateway.storage.buffer.RowBuffer} calls, on real files:
 * restart replay, acknowledgements, torn tails, damaged segments, the size limit.
 */
@UnitTest
class SpoolRowBufferTest {
    @TempDir
    Path dir;

    private static void awaitRecords(SpoolRowBuffer b, long records) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (b.status().records() + b.status().droppedCycles() < records && System.currentTimeMillis() < deadline) {
            if (b.status().handoffQueued() == 0 && b.status().droppedCycles() > 0) {
                // a full spool: cycles handed out before their segment was dropped are neither on disk nor dropped
                Thread.sleep(100);
                return;
            }
            Thread.sleep(10);
        }
    }

    @Test
    void whatWasNotAcknowledgedIsSentAgainAfterARestartAndNothingElse() throws Exception {
        SpoolRowBuffer.Settings s = SpoolFixture.settings(dir, 64 << 20, 256 << 10, WhenFull.DROP_OLDEST);
        SpoolRowBuffer b = SpoolFixture.open(s);
        SpoolFixture.offer(b, 0, 300);
        awaitRecords(b, 300);
        b.close(5_000);

        SpoolRowBuffer b2 = SpoolFixture.open(s);
        assertEquals(300, b2.status().records(), "nothing acknowledged yet: all 300 are backlog");
        SpoolFixture.offer(b2, 300, 50);
        SpoolFixture.Drained d = SpoolFixture.drain(b2, 1_000);
        assertEquals(SpoolFixture.ticks(0, 350), d.ticks, "every cycle once");
        assertEquals(350, d.tickList.size(), "no duplicates within a run");
        assertEquals(350, d.quality);
        awaitDrained(b2);
        b2.close(5_000);

        SpoolRowBuffer b3 = SpoolFixture.open(s);
        assertEquals(0, b3.status().records(), "all acknowledged");
        assertEquals(Set.of(), SpoolFixture.drain(b3, 300).ticks);
        b3.close(5_000);
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.filter(p -> p.toString().endsWith(".seg")).count() <= 1, "committed segments are deleted");
        }
    }

    private static void awaitDrained(SpoolRowBuffer b) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (b.status().records() > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, b.status().records());
    }

    @Test
    void liveCyclesGoFirstWhileABacklogIsReplayedInOrder() throws Exception {
        SpoolRowBuffer.Settings s = SpoolFixture.settings(dir, 64 << 20, 256 << 10, WhenFull.DROP_OLDEST);
        SpoolRowBuffer b = SpoolFixture.open(s);
        SpoolFixture.offer(b, 0, 2_000);
        awaitRecords(b, 2_000);
        b.close(5_000);
        SpoolRowBuffer b2 = SpoolFixture.open(s);
        SpoolFixture.offer(b2, 5_000, 1);
        // once the live cycle is ready (after the flush interval), the first batch of rows taken is
        // the live cycle, not the 2,000-cycle backlog that was ready before it
        long deadline = System.currentTimeMillis() + 5_000;
        while (b2.liveReadyRows() == 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(b2.liveReadyRows() > 0, "the live cycle was handed out within 5 s");
        Long first = null;
        while (first == null && System.currentTimeMillis() < deadline) {
            var batch = b2.take(100);
            if (batch instanceof org.openess.gateway.storage.buffer.Batch.Rows r) {
                first = r.rows().get(0).tickMillis();
                assertFalse(b2.replayed(batch));
                b2.ack(batch);
            } else if (batch != null) {
                b2.ack(batch);
            } else {
                Thread.sleep(5);
            }
        }
        assertEquals(SpoolFixture.T0 + 5_000_000L, first);
        SpoolFixture.Drained d = SpoolFixture.drain(b2, 1_000);
        List<Long> sorted = new java.util.ArrayList<>(d.tickList);
        java.util.Collections.sort(sorted);
        assertEquals(sorted.subList(0, d.tickList.size()), d.tickList.subList(0, d.tickList.size()), "backlog in order");
        assertEquals(SpoolFixture.ticks(0, 2_000), new TreeSet<>(d.ticks));
        b2.close(5_000);
    }

    @Test
    void aTornTailIsCutAndEveryWholeRecordKept() throws Exception {
        SpoolRowBuffer.Settings s = SpoolFixture.settings(dir, 64 << 20, 256 << 10, WhenFull.DROP_OLDEST);
        SpoolRowBuffer b = SpoolFixture.open(s);
        SpoolFixture.offer(b, 0, 100);
        awaitRecords(b, 100);
        b.close(5_000);
        Path last = lastSegment();
        long whole = Files.size(last);
        try (FileChannel ch = FileChannel.open(last, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer partial = SpoolFormat.frame(101, new byte[2000], 2000);
            partial.limit(700); // a crash in the middle of a write
            ch.write(partial);
        }
        SpoolRowBuffer b2 = SpoolFixture.open(s);
        assertEquals(whole, Files.size(last), "cut back to the last whole record");
        assertEquals(700, b2.status().truncatedBytes());
        assertEquals(SpoolFixture.ticks(0, 100), SpoolFixture.drain(b2, 1_000).ticks);
        SpoolFixture.offer(b2, 100, 10);
        assertEquals(SpoolFixture.ticks(100, 10), SpoolFixture.drain(b2, 1_000).ticks, "and appending goes on");
        b2.close(5_000);
    }

    @Test
    void aDamagedMiddleSegmentIsMovedAsideCountedAndTheRestSent() throws Exception {
        SpoolRowBuffer.Settings s = SpoolFixture.settings(dir, 64 << 20, 64 << 10, WhenFull.DROP_OLDEST);
        SpoolRowBuffer b = SpoolFixture.open(s);
        SpoolFixture.offer(b, 0, 400);
        awaitRecords(b, 400);
        b.close(5_000);
        List<Path> segments = segments();
        assertTrue(segments.size() >= 4, "several segments: " + segments.size());
        Path middle = segments.get(1);
        long firstOfMiddle = SpoolFormat.firstSeqOf(middle.getFileName().toString());
        long firstOfNext = SpoolFormat.firstSeqOf(segments.get(2).getFileName().toString());
        // overwrite bytes well inside the segment, as a failing disk would
        try (RandomAccessFile f = new RandomAccessFile(middle.toFile(), "rw")) {
            f.seek(f.length() / 2);
            f.write(new byte[64]);
        }
        SpoolRowBuffer b2 = SpoolFixture.open(s);
        SpoolFixture.Drained d = SpoolFixture.drain(b2, 1_500);
        assertTrue(Files.exists(middle.resolveSibling(middle.getFileName() + ".corrupt")), "moved aside");
        assertEquals(1, b2.status().corruptSegments());
        long lost = b2.status().corruptRecords();
        assertTrue(lost >= 1 && lost < firstOfNext - firstOfMiddle, "lost " + lost);
        // everything outside the damaged part arrives: seq n holds tick n-1
        Set<Long> expected = new TreeSet<>(SpoolFixture.ticks(0, 400));
        assertEquals(400 - lost, d.ticks.size());
        assertTrue(expected.containsAll(d.ticks));
        for (long seq = 1; seq < firstOfMiddle; seq++) {
            assertTrue(d.ticks.contains(SpoolFixture.T0 + (seq - 1) * 1000), "before the damage: " + seq);
        }
        for (long seq = firstOfNext; seq <= 400; seq++) {
            assertTrue(d.ticks.contains(SpoolFixture.T0 + (seq - 1) * 1000), "after the damaged segment: " + seq);
        }
        awaitDrained(b2);
        b2.close(5_000);
        // and a restart does not trip over it again
        SpoolRowBuffer b3 = SpoolFixture.open(s);
        assertEquals(0, b3.status().records());
        b3.close(5_000);
    }

    @Test
    void aFullSpoolDropsTheOldestSegmentAndRecordsEveryDroppedTick() throws Exception {
        SpoolRowBuffer.Settings s = SpoolFixture.settings(dir, 1 << 20, 128 << 10, WhenFull.DROP_OLDEST);
        SpoolRowBuffer b = SpoolFixture.open(s);
        int n = 3_000; // far more than 1 MiB
        SpoolFixture.offer(b, 0, n);
        awaitRecords(b, n);
        SpoolRowBuffer.Status st = b.status();
        assertTrue(st.bytes() <= 1 << 20, "within max-bytes: " + st.bytes());
        assertTrue(st.droppedCycles() > 0);
        SpoolFixture.Drained d = SpoolFixture.drain(b, 1_500);
        // every tick is either delivered or in a gap record saying why
        Set<Long> gapTicks = new TreeSet<>();
        for (GapEvent g : d.gaps) {
            if (g.reason().startsWith("dropped: spool full")) {
                assertEquals("bank".equals(g.table()) ? 1 : g.table().equals("rack") ? 2 : 1, g.missingRows(), g.toString());
                gapTicks.add(g.tickMillis());
            }
        }
        assertEquals(st.droppedCycles(), gapTicks.size());
        assertDroppedPerTable(b, st.droppedCycles());
        Set<Long> all = new TreeSet<>(d.ticks);
        all.addAll(gapTicks);
        assertEquals(SpoolFixture.ticks(0, n), all);
        assertTrue(d.ticks.contains(SpoolFixture.T0 + (n - 1) * 1000L), "the newest are kept");
        assertTrue(d.ticks.size() < n / 2, "the oldest went: " + d.ticks.size());
        b.close(5_000);
    }

    @Test
    void dropNewestKeepsTheOldestAndRecordsTheRefusedTicks() throws Exception {
        SpoolRowBuffer.Settings s = SpoolFixture.settings(dir, 1 << 20, 128 << 10, WhenFull.DROP_NEWEST);
        SpoolRowBuffer b = SpoolFixture.open(s);
        int n = 3_000;
        SpoolFixture.offer(b, 0, n);
        awaitRecords(b, n);
        long dropped = b.status().droppedCycles();
        assertTrue(dropped > 0);
        SpoolFixture.Drained d = SpoolFixture.drain(b, 1_500);
        Set<Long> gapTicks = new TreeSet<>();
        d.gaps.stream().filter(g -> g.reason().contains("drop-newest")).forEach(g -> gapTicks.add(g.tickMillis()));
        assertEquals(dropped, gapTicks.size());
        assertDroppedPerTable(b, dropped);
        assertTrue(d.ticks.contains(SpoolFixture.T0), "the oldest are kept");
        Set<Long> all = new TreeSet<>(d.ticks);
        all.addAll(gapTicks);
        assertEquals(SpoolFixture.ticks(0, n), all);
        b.close(5_000);
    }

    /** Every row of every dropped cycle counted against its table, and its quality record against ess_quality. */
    private static void assertDroppedPerTable(SpoolRowBuffer b, long cycles) {
        CycleOutput sample = SpoolFixture.cycle("site-a", SpoolFixture.T0);
        java.util.Map<String, Long> expected = new java.util.TreeMap<>();
        sample.rows().forEach(r -> expected.merge(r.layout().table(), cycles, Long::sum));
        expected.put("ess_quality", cycles * sample.quality().size());
        java.util.Map<String, Long> counted = new java.util.TreeMap<>();
        b.counters().droppedByTable().view().forEach((t, n) -> counted.put(t, n.get()));
        assertEquals(expected, counted);
        assertEquals(b.counters().rowsDropped(), cycles * sample.rows().size());
    }

    private List<Path> segments() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted().toList();
        }
    }

    private Path lastSegment() throws Exception {
        List<Path> s = segments();
        return s.get(s.size() - 1);
    }
}
