package org.openess.gateway.storage.buffer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.decode.DecodedRow;
import org.openess.gateway.decode.GapEvent;

/**
 * Ticks a buffer had to drop (full, rejected by the database, unreadable on disk), waiting to be
 * written to {@code ess_gaps} once the database takes writes again. Consecutive ticks of one
 * device, table and reason are kept as one run (first, last, step), so an hour of drops at 1,000
 * devices is a few thousand runs, not millions of objects. Bounded by {@code maxRuns}: past it a
 * drop is still counted but not itemised (the log says so). Held in memory only: a restart
 * forgets runs not yet written (the rows are missing either way; the log keeps the counts).
 */
public final class DropLedger {
    private record Key(String device, String table, String reason, int rows) {
    }

    private static final class Run {
        final Key key;
        final long first;
        long last;
        long step;

        Run(Key key, long tick) {
            this.key = key;
            this.first = tick;
            this.last = tick;
        }

        boolean extend(long tick) {
            if (step == 0 && tick > last) {
                step = tick - last;
                last = tick;
                return true;
            }
            if (step > 0 && tick == last + step) {
                last = tick;
                return true;
            }
            return false;
        }
    }

    private final int maxRuns;
    private final Map<Key, Run> open = new HashMap<>();
    private final ArrayDeque<Run> runs = new ArrayDeque<>();
    private long droppedTicks;
    private long unrecorded;

    public DropLedger(int maxRuns) {
        this.maxRuns = maxRuns;
    }

    /** Records every table of a cycle that will not reach the database, with one reason. */
    public synchronized void addCycle(CycleOutput output, String reason) {
        Map<String, Integer> perTable = new LinkedHashMap<>();
        for (DecodedRow r : output.rows()) {
            perTable.merge(r.layout().table(), 1, Integer::sum);
        }
        for (GapEvent g : output.gaps()) {
            perTable.merge(g.table(), g.missingRows(), Integer::sum);
        }
        perTable.forEach((table, rows) -> add(output.device(), table, output.tickMillis(), rows, reason));
    }

    /** Rows the database refused for good, one gap per device, tick and table. */
    public synchronized void addRows(List<DecodedRow> rows, String reason) {
        int i = 0;
        while (i < rows.size()) {
            DecodedRow first = rows.get(i);
            int j = i + 1;
            while (j < rows.size() && rows.get(j).tickMillis() == first.tickMillis() && rows.get(j).device().equals(first.device())) {
                j++;
            }
            add(first.device(), first.layout().table(), first.tickMillis(), j - i, reason);
            i = j;
        }
    }

    public synchronized void add(String device, String table, long tick, int rows, String reason) {
        droppedTicks++;
        Key key = new Key(device, table, reason, rows);
        Run run = open.get(key);
        if (run != null && run.extend(tick)) {
            return;
        }
        if (runs.size() >= maxRuns) {
            unrecorded++;
            return;
        }
        run = new Run(key, tick);
        open.put(key, run);
        runs.addLast(run);
    }

    /** Up to {@code max} gap records, oldest runs first; null when nothing waits. */
    public synchronized List<GapEvent> take(int max) {
        if (runs.isEmpty()) {
            return null;
        }
        List<GapEvent> out = new ArrayList<>(Math.min(max, 1024));
        while (out.size() < max && !runs.isEmpty()) {
            Run run = runs.peekFirst();
            long tick = run.first;
            long step = Math.max(1, run.step);
            long count = run.step == 0 ? 1 : (run.last - run.first) / step + 1;
            long n = Math.min(count, max - out.size());
            for (long i = 0; i < n; i++, tick += step) {
                out.add(new GapEvent(run.key.device, tick, run.key.table, run.key.rows, run.key.reason));
            }
            runs.pollFirst();
            if (open.get(run.key) == run) {
                open.remove(run.key);
            }
            if (n < count) {
                // the rest of the run goes back to the front
                Run rest = new Run(run.key, tick);
                rest.last = run.last;
                rest.step = run.step;
                runs.addFirst(rest);
            }
        }
        return out;
    }

    /** A gap batch that could not be written goes back (the database is down again). */
    public synchronized void putBack(List<GapEvent> gaps) {
        for (int i = gaps.size() - 1; i >= 0; i--) {
            GapEvent g = gaps.get(i);
            Run r = new Run(new Key(g.device(), g.table(), g.reason(), g.missingRows()), g.tickMillis());
            runs.addFirst(r);
        }
    }

    public synchronized boolean isEmpty() {
        return runs.isEmpty();
    }

    /** Ticks × tables dropped so far (written or not). */
    public synchronized long droppedTicks() {
        return droppedTicks;
    }

    /** Drops counted but not itemised because {@code maxRuns} runs were waiting. */
    public synchronized long unrecorded() {
        return unrecorded;
    }
}
