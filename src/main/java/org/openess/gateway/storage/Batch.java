package org.openess.gateway.storage;

import java.util.List;

import org.openess.gateway.decode.DecodedRow;
import org.openess.gateway.decode.GapEvent;
import org.openess.gateway.decode.QualityEvent;
import org.openess.gateway.profile.TableLayout;

/** One unit of writing: rows of one layout, or quality events, or gap events. */
public record Batch(TableLayout layout, List<DecodedRow> rows, List<QualityEvent> quality, List<GapEvent> gaps) {

    public static Batch rows(TableLayout layout, List<DecodedRow> rows) {
        return new Batch(layout, rows, List.of(), List.of());
    }

    public static Batch quality(List<QualityEvent> quality) {
        return new Batch(null, List.of(), quality, List.of());
    }

    public static Batch gaps(List<GapEvent> gaps) {
        return new Batch(null, List.of(), List.of(), gaps);
    }

    public int size() {
        return rows.size() + quality.size() + gaps.size();
    }

    public String describe() {
        if (layout != null) {
            return rows.size() + " " + layout.table() + " row(s)";
        }
        return quality.isEmpty() ? gaps.size() + " gap record(s)" : quality.size() + " quality record(s)";
    }
}
