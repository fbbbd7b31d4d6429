package org.openess.gateway.storage.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.openess.gateway.testsupport.UnitTest;

/** Reading backlog records by sequence number from real segments, and what a gone or damaged segment does. */
@UnitTest
class BacklogReaderTest {
    @TempDir
    Path dir;
    final BacklogRanges backlog = new BacklogRanges();
    final BacklogReader reader = new BacklogReader(backlog);

    /** Five records per segment: 1-5, 6-10, 11-15. */
    private SpoolStore store() throws Exception {
        SpoolStore store = StoreFixture.open(dir, SpoolFormat.HEADER_BYTES + 5L * StoreFixture.recordBytes());
        StoreFixture.append(store, 0, 15);
        return store;
    }

    private static long tickOf(SegmentReader.Entry e) {
        return StoreFixture.codec().decode(e.payload(), e.length()).tickMillis();
    }

    @Test
    void recordsAreFoundAcrossSegmentsForwardsAndBack() throws Exception {
        SpoolStore store = store();
        assertEquals(3, store.segmentCount());
        for (long seq : new long[] { 1, 2, 7, 12, 3, 15 }) {
            SegmentReader.Entry e = reader.read(store, seq);
            assertEquals(seq, e.seq());
            assertEquals(SpoolFixture.T0 + (seq - 1) * 1000, tickOf(e));
        }
        reader.close();
        store.close();
    }

    @Test
    void aSegmentDroppedSinceIsSkippedToWhatStillExists() throws Exception {
        SpoolStore store = store();
        backlog.add(6, 15);
        assertEquals(6, reader.read(store, 6).seq());
        SpoolStore.Segment middle = store.segmentOf(6);
        reader.closeIfReading(middle);
        store.delete(middle);
        assertNull(reader.read(store, 7));
        assertEquals(11, backlog.first(), "on to the next segment");
        assertEquals(11, reader.read(store, 11).seq());
        store.close();
    }

    @Test
    void aDamagedRecordMovesItsSegmentAsideAndCountsWhatIsLost() throws Exception {
        SpoolStore store = store();
        backlog.add(3, 15);
        Path first = store.segmentOf(1).path;
        try (RandomAccessFile f = new RandomAccessFile(first.toFile(), "rw")) {
            f.seek(SpoolFormat.HEADER_BYTES + 2L * StoreFixture.recordBytes() + 30); // inside record 3
            f.write(new byte[16]);
        }
        assertEquals(2, reader.read(store, 2).seq(), "records before the damage read fine");
        assertNull(reader.read(store, 3));
        assertEquals(3, store.corruptRecords, "records 3 to 5 lost");
        assertEquals(1, store.corruptSegments);
        assertTrue(Files.exists(first.resolveSibling(first.getFileName() + SpoolFormat.CORRUPT_SUFFIX)));
        assertEquals(6, backlog.first());
        assertEquals(6, reader.read(store, 6).seq(), "the next segment reads fine");
        store.close();
    }
}
