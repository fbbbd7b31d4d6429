package org.openess.gateway.decode;

import java.util.List;

/**
 * Everything one poll of one device produced: rows to store, values rejected, rows missing; and
 * the alarms that started or ended on it (added by the alarm rules, which see the decoded rows).
 */
public record CycleOutput(String device, long tickMillis, List<DecodedRow> rows, List<QualityEvent> quality,
        List<GapEvent> gaps, List<Alarm> alarms) {

    public CycleOutput(String device, long tickMillis, List<DecodedRow> rows, List<QualityEvent> quality, List<GapEvent> gaps) {
        this(device, tickMillis, rows, quality, gaps, List.of());
    }

    /** Alarm starts and ends alone, stored like a cycle's records. */
    public static CycleOutput ofAlarms(String device, long tickMillis, List<Alarm> alarms) {
        return new CycleOutput(device, tickMillis, List.of(), List.of(), List.of(), List.copyOf(alarms));
    }

    /** Records the cycle puts in a write buffer: rows, quality events, gap records and alarm events (each one database row). */
    public int records() {
        return rows.size() + quality.size() + gaps.size() + alarms.size();
    }
}
