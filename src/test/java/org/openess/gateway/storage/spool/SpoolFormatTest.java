package org.openess.gateway.storage.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.decode.DecodedRow;
import org.openess.gateway.testsupport.UnitTest;

/** The segment format and record codec: framing, checksums, torn and damaged records. */
@UnitTest
class SpoolFormatTest {
    @TempDir
    Path dir;

    private Path segment(int records) throws Exception {
        Path p = dir.resolve(SpoolFormat.segmentName(5));
        RecordCodec codec = new RecordCodec(SpoolFixture.LAYOUTS);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.write(SpoolFormat.header(5));
            for (int i = 0; i < records; i++) {
                byte[] payload = codec.encode(SpoolFixture.cycle("s", SpoolFixture.T0 + i * 1000L));
                ch.write(SpoolFormat.frame(5 + i, payload, codec.length()));
            }
        }
        return p;
    }

    @Test
    void recordsReadBackInOrderWithTheirSequenceNumbers() throws Exception {
        Path p = segment(3);
        assertEquals(5, SpoolFormat.firstSeqOf(p.getFileName().toString()));
        try (SegmentReader r = new SegmentReader(p, -1)) {
            assertEquals(5, r.firstSeq());
            assertEquals(5, r.next().seq());
            assertEquals(6, r.next().seq());
            assertEquals(7, r.next().seq());
            assertNull(r.next());
            assertTrue(r.atLimit());
            assertEquals(Files.size(p), r.position());
        }
    }

    @Test
    void aTornTailStopsAtTheLastWholeRecord() throws Exception {
        Path p = segment(3);
        long whole = Files.size(p);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer partial = SpoolFormat.frame(8, new byte[100], 100);
            partial.limit(50);
            ch.write(partial);
        }
        try (SegmentReader r = new SegmentReader(p, -1)) {
            int n = 0;
            while (r.next() != null) {
                n++;
            }
            assertEquals(3, n);
            assertEquals(whole, r.position());
            assertNotNull(r.problem());
        }
    }

    @Test
    void aFlippedByteIsACheckSumMismatchAndADamagedHeaderIsRefused() throws Exception {
        Path p = segment(3);
        byte[] all = Files.readAllBytes(p);
        int second = SpoolFormat.HEADER_BYTES + (all.length - SpoolFormat.HEADER_BYTES) / 3 + 40;
        all[second] ^= 0x10;
        Files.write(p, all);
        try (SegmentReader r = new SegmentReader(p, -1)) {
            assertEquals(5, r.next().seq());
            assertNull(r.next());
            assertTrue(r.problem().contains("checksum mismatch in record 6"), r.problem());
        }
        all[3] ^= 1;
        Files.write(p, all);
        try (SegmentReader r = new SegmentReader(p, -1)) {
            assertEquals(-1, r.firstSeq());
            assertNull(r.next());
            assertEquals("damaged segment header", r.problem());
        }
    }

    @Test
    void theCodecKeepsEveryCellNullQualityAndGap() {
        RecordCodec codec = new RecordCodec(SpoolFixture.LAYOUTS);
        CycleOutput in = SpoolFixture.cycle("site-ü", SpoolFixture.T0);
        byte[] bytes = codec.encode(in);
        CycleOutput out = codec.decode(bytes.clone(), codec.length());
        assertEquals(in.device(), out.device());
        assertEquals(in.tickMillis(), out.tickMillis());
        assertEquals(in.rows().size(), out.rows().size());
        for (int i = 0; i < in.rows().size(); i++) {
            DecodedRow a = in.rows().get(i);
            DecodedRow b = out.rows().get(i);
            assertEquals(a.layout(), b.layout());
            for (int c = 0; c < a.layout().width(); c++) {
                assertEquals(a.value(c), b.value(c));
            }
        }
        assertEquals(in.gaps(), out.gaps());
        assertEquals(1, out.quality().size());
        assertEquals(123.5, out.quality().get(0).value());
        assertEquals(List.of(1, 2), List.of(out.quality().get(0).raw()[0], out.quality().get(0).raw()[1]));
        assertEquals(SpoolFixture.T0, RecordCodec.tickOf(bytes, codec.length()));
    }

    @Test
    void textColumnsOfSunSpecStyleTablesRoundTripWithTheirNulls() {
        org.openess.gateway.profile.Profile profile = org.openess.gateway.profile.ProfileLoader.load("operation1");
        org.openess.gateway.profile.TableSpec etc = profile.tables().stream().filter(t -> t.name().equals("etc")).findFirst()
                .orElseThrow();
        List<org.openess.gateway.profile.PointSpec> points = new java.util.ArrayList<>(etc.points());
        org.openess.gateway.profile.PointSpec p = points.get(0);
        points.set(0, new org.openess.gateway.profile.PointSpec("SERIAL", p.area(), p.address(), p.stride(),
                org.openess.gateway.profile.PointType.STRING, p.bit(), p.wordOrder(), p.byteOrder(), 1, 0, null, null, false,
                org.openess.gateway.profile.SqlType.TEXT, 2, null, null));
        org.openess.gateway.profile.TableLayout layout = org.openess.gateway.profile.TableLayout.of(profile,
                new org.openess.gateway.profile.TableSpec("sunspec_text", etc.constants(), etc.group(), points));
        int text = layout.width() - points.size();
        assertTrue(layout.hasText());
        DecodedRow a = new DecodedRow(layout, "s", SpoolFixture.T0);
        a.setText(text, "SN-ü-42");
        DecodedRow b = new DecodedRow(layout, "s", SpoolFixture.T0);
        b.setNull(text);
        for (DecodedRow r : List.of(a, b)) {
            for (int c = 0; c < layout.width(); c++) {
                if (c != text) {
                    r.setDouble(c, c * 1.5);
                }
            }
        }
        // a layout met only while encoding (discovered at run time) is known when decoding
        RecordCodec codec = new RecordCodec(SpoolFixture.LAYOUTS);
        byte[] bytes = codec.encode(new CycleOutput("s", SpoolFixture.T0, List.of(a, b), List.of(), List.of()));
        CycleOutput out = codec.decode(bytes.clone(), codec.length());
        assertEquals(2, out.rows().size(), "no gap records: " + out.gaps());
        assertEquals("SN-ü-42", out.rows().get(0).value(text));
        assertNull(out.rows().get(1).value(text));
        for (int c = 0; c < layout.width(); c++) {
            assertEquals(a.value(c), out.rows().get(0).value(c));
        }
    }

    @Test
    void rowsOfATableNoLongerConfiguredBecomeGapRecords() {
        RecordCodec writer = new RecordCodec(SpoolFixture.LAYOUTS);
        byte[] bytes = writer.encode(SpoolFixture.cycle("s", SpoolFixture.T0));
        RecordCodec reader = new RecordCodec(SpoolFixture.LAYOUTS.subList(1, SpoolFixture.LAYOUTS.size()));
        CycleOutput out = reader.decode(bytes, writer.length());
        assertEquals(SpoolFixture.LAYOUTS.size() - 1, out.rows().size());
        assertEquals(2, out.gaps().size());
        assertTrue(out.gaps().get(0).reason().startsWith("spooled rows of a table layout no longer configured"),
                out.gaps().get(0).reason());
    }

    /** The bytes on disk, checked against an independent CRC32C: a change here breaks spools written by earlier versions. */
    @Test
    void segmentHeaderRecordAndAcknowledgementFileKeepTheirByteLayout() throws Exception {
        ByteBuffer h = SpoolFormat.header(7).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(SpoolFormat.HEADER_BYTES, h.remaining());
        assertEquals("ESSSPL01", new String(h.array(), 0, 8, StandardCharsets.US_ASCII));
        assertEquals(7, h.getLong(8));
        assertEquals(0, h.getInt(16));
        assertEquals(crc32c(h.array(), 0, 20), h.getInt(20));
        assertEquals(7, SpoolFormat.readHeader(h.duplicate()));

        byte[] payload = "some payload".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer f = SpoolFormat.frame(0x0102030405060708L, payload, payload.length).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(SpoolFormat.RECORD_HEADER_BYTES + payload.length, f.remaining());
        assertEquals(payload.length, f.getInt(0));
        byte[] seqThenPayload = ByteBuffer.allocate(8 + payload.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(0x0102030405060708L).put(payload).array();
        assertEquals(crc32c(seqThenPayload, 0, seqThenPayload.length), f.getInt(4));
        assertEquals(0x0102030405060708L, f.getLong(8));

        SpoolStore store = new SpoolStore(dir, 1 << 20);
        store.commit(1, 3);
        store.commit(9, 9);
        store.persistAcks(false);
        ByteBuffer a = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(SpoolStore.ACKED))).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(8 + 2 * 16 + 4, a.remaining());
        assertEquals("1KCA", new String(a.array(), 0, 4, StandardCharsets.US_ASCII));
        assertEquals(2, a.getInt(4));
        assertEquals(List.of(1L, 3L, 9L, 9L), List.of(a.getLong(8), a.getLong(16), a.getLong(24), a.getLong(32)));
        assertEquals(crc32c(a.array(), 0, 40), a.getInt(40));
    }

    /** A cycle's record is byte for byte what earlier versions wrote (pinned by its CRC32C). */
    @Test
    void theCodecWritesTheSameBytesAsBefore() {
        RecordCodec codec = new RecordCodec(SpoolFixture.LAYOUTS);
        byte[] bytes = codec.encode(SpoolFixture.cycle("site-a", SpoolFixture.T0));
        assertEquals(1948, codec.length());
        assertEquals(439441152, crc32c(bytes, 0, codec.length()));
        // a second encode with the same codec (reused buffers) gives the same bytes
        bytes = codec.encode(SpoolFixture.cycle("site-a", SpoolFixture.T0));
        assertEquals(439441152, crc32c(bytes, 0, codec.length()));
    }

    private static int crc32c(byte[] b, int offset, int length) {
        CRC32C c = new CRC32C();
        c.update(b, offset, length);
        return (int) c.getValue();
    }

    @Test
    void committedRangesMergeAndReportWhatIsMissing() {
        CommittedRanges c = new CommittedRanges();
        c.add(5, 7);
        c.add(10, 12);
        c.add(8, 9);
        assertEquals(1, c.rangeCount());
        assertTrue(c.containsAll(5, 12));
        c.add(20, 25);
        assertEquals(List.of("1-4", "13-19", "26-30"),
                c.missing(1, 30).stream().map(r -> r[0] + "-" + r[1]).toList());
        assertEquals(4 + 7 + 5, c.missingCount(1, 30));
        c.dropBelow(22);
        assertTrue(c.containsAll(22, 25));
        assertTrue(!c.contains(21));
    }
}
