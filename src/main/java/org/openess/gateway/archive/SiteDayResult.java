package org.openess.gateway.archive;

import java.util.List;

/**
 * The outcome for one site and day. {@code lockedElsewhere}: another process held the lock and
 * nothing was done here; {@code error}: the day failed (no manifest written), else null.
 */
public record SiteDayResult(String site, DayWindow window, List<TableResult> tables, List<String> emptyTables,
        PutResult manifest, boolean lockedElsewhere, String error) {

    public boolean ok() {
        return error == null && !lockedElsewhere;
    }
}
