package org.openess.gateway.storage.spool;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.openess.gateway.decode.Alarm;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.decode.DecodedRow;
import org.openess.gateway.decode.GapEvent;
import org.openess.gateway.decode.QualityEvent;
import org.openess.gateway.profile.TableLayout;
import org.openess.gateway.storage.buffer.Batch;

/** Cuts a group's cycles into the writer's batches: each table's rows, then quality, gap and alarm records, at most batch-rows each. */
final class GroupBatches {
    private GroupBatches() {
    }

    static List<Batch> of(List<CycleOutput> cycles, int batchRows) {
        Map<TableLayout, List<DecodedRow>> rows = new LinkedHashMap<>();
        List<QualityEvent> quality = new ArrayList<>();
        List<GapEvent> gaps = new ArrayList<>();
        List<Alarm> alarms = new ArrayList<>();
        for (CycleOutput o : cycles) {
            for (DecodedRow r : o.rows()) {
                rows.computeIfAbsent(r.layout(), k -> new ArrayList<>()).add(r);
            }
            quality.addAll(o.quality());
            gaps.addAll(o.gaps());
            alarms.addAll(o.alarms());
        }
        List<Batch> batches = new ArrayList<>();
        rows.forEach((layout, list) -> split(list, batchRows, part -> new Batch.Rows(layout, part), batches));
        split(quality, batchRows, Batch.Quality::new, batches);
        split(gaps, batchRows, Batch.Gaps::new, batches);
        split(alarms, batchRows, Batch.Alarms::new, batches);
        return batches;
    }

    /** Cuts {@code list} into batches of at most {@code max} records (views, not copies). */
    private static <T> void split(List<T> list, int max, Function<List<T>, Batch> batch, List<Batch> out) {
        for (int i = 0; i < list.size(); i += max) {
            out.add(batch.apply(list.subList(i, Math.min(list.size(), i + max))));
        }
    }
}
