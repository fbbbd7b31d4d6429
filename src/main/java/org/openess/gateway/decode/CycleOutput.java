package org.openess.gateway.decode;

import java.util.List;

/** Everything one poll of one device produced: rows to store, values rejected, rows missing. */
public record CycleOutput(String site, long tickMillis, List<DecodedRow> rows, List<QualityEvent> quality,
        List<GapEvent> gaps) {
    /** Records the cycle puts in a write buffer: rows, quality events and gap records (each one database row). */
    public int records() {
        return rows.size() + quality.size() + gaps.size();
    }
}
