package org.openess.gateway.decode;

import java.util.List;

/** Everything one poll of one device produced: rows to store, values rejected, rows missing. */
public record CycleOutput(String site, long tickMillis, List<DecodedRow> rows, List<QualityEvent> quality,
        List<GapEvent> gaps) {
}
