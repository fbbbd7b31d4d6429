package org.openess.gateway.storage.spool;

import org.openess.gateway.config.WhenFull;
import org.openess.gateway.config.SyncPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.openess.gateway.decode.CycleDecoder;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.decode.DecodedRow;
import org.openess.gateway.decode.GapEvent;
import org.openess.gateway.decode.QualityEvent;
import org.openess.gateway.profile.ProfileLoader;
import org.openess.gateway.profile.TableLayout;
import org.openess.gateway.storage.buffer.Batch;
import org.openess.gateway.storage.buffer.MemoryRowBuffer;

/** Cycles shaped like operation1's (four tables) and a writer stand-in that takes and acknowledges batches. */
final class SpoolFixture {
    static final List<TableLayout> LAYOUTS = List.copyOf(CycleDecoder.layoutsOf(ProfileLoader.load("operation1")).values());
    static final long T0 = 1_700_000_000_000L;

    private SpoolFixture() {
    }

    /** One row per table, every value derived from the tick, one null, one quality and one gap record. */
    static CycleOutput cycle(String site, long tick) {
        List<DecodedRow> rows = new ArrayList<>();
        for (TableLayout l : LAYOUTS) {
            DecodedRow r = new DecodedRow(l, site, tick);
            for (int c = 0; c < l.width(); c++) {
                r.setLong(c, tick + c);
            }
            r.setNull(l.width() - 1);
            rows.add(r);
        }
        return new CycleOutput(site, tick, rows,
                List.of(new QualityEvent(site, tick, "bank", 1, "BANK_SOC", new int[] { 1, 2 }, 123.5, "max 100")),
                List.of(new GapEvent(site, tick, "rack", 1, "read fc3 0+10: timeout")));
    }

    static SpoolRowBuffer.Settings settings(Path dir, long maxBytes, long segmentBytes, WhenFull whenFull) {
        return new SpoolRowBuffer.Settings(dir, SyncPolicy.INTERVAL, 50, maxBytes, segmentBytes, whenFull, 0, 10_000, 100, 4, 20);
    }

    static SpoolRowBuffer open(SpoolRowBuffer.Settings s) throws Exception {
        return new SpoolRowBuffer(s, LAYOUTS, new MemoryRowBuffer(100_000));
    }

    /** What a writer saw: ticks of the first table's rows, and gap records. */
    static final class Drained {
        final Set<Long> ticks = new TreeSet<>();
        final List<Long> tickList = new ArrayList<>();
        final List<GapEvent> gaps = new ArrayList<>();
        int quality;
    }

    /** Takes and acknowledges until {@code quietMillis} pass with nothing to take. */
    static Drained drain(SpoolRowBuffer b, long quietMillis) throws InterruptedException {
        Drained d = new Drained();
        long last = System.currentTimeMillis();
        while (System.currentTimeMillis() - last < quietMillis) {
            Batch batch = b.take(100);
            if (batch == null) {
                Thread.sleep(5);
                continue;
            }
            last = System.currentTimeMillis();
            if (batch instanceof Batch.Rows r && r.layout() == LAYOUTS.get(0)) {
                r.rows().forEach(row -> {
                    d.ticks.add(row.tickMillis());
                    d.tickList.add(row.tickMillis());
                });
            } else if (batch instanceof Batch.Gaps g) {
                d.gaps.addAll(g.gaps());
            } else if (batch instanceof Batch.Quality q) {
                d.quality += q.events().size();
            }
            b.ack(batch);
        }
        return d;
    }

    static void offer(SpoolRowBuffer b, int from, int count) {
        for (int i = from; i < from + count; i++) {
            b.offer(cycle("site-a", T0 + i * 1000L));
        }
    }

    static Set<Long> ticks(int from, int count) {
        Set<Long> s = new TreeSet<>();
        for (int i = from; i < from + count; i++) {
            s.add(T0 + i * 1000L);
        }
        return s;
    }
}
