package org.openess.gateway.storage.spool;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.decode.DecodedRow;
import org.openess.gateway.profile.TableLayout;

/**
 * Consecutive records gathered into one group for the writer. A cycle fits while no table gets more
 * than {@code batchRows} rows from the group, so each table's rows make one batch; the first cycle
 * always fits, however large.
 */
final class GroupBuilder {
    private final int batchRows;
    private final Map<TableLayout, Integer> perTable = new IdentityHashMap<>();
    private final List<CycleOutput> cycles = new ArrayList<>();
    private long from = -1;
    private long to = -1;

    GroupBuilder(int batchRows) {
        this.batchRows = batchRows;
    }

    /** Adds record {@code seq} when it fits; false (and nothing added) when it does not. */
    boolean add(long seq, CycleOutput cycle) {
        Map<TableLayout, Integer> add = new IdentityHashMap<>();
        for (DecodedRow r : cycle.rows()) {
            add.merge(r.layout(), 1, Integer::sum);
        }
        if (!cycles.isEmpty()) {
            for (Map.Entry<TableLayout, Integer> e : add.entrySet()) {
                if (perTable.getOrDefault(e.getKey(), 0) + e.getValue() > batchRows) {
                    return false;
                }
            }
        }
        add.forEach((k, v) -> perTable.merge(k, v, Integer::sum));
        cycles.add(cycle);
        if (from < 0) {
            from = seq;
        }
        to = seq;
        return true;
    }

    boolean isEmpty() {
        return cycles.isEmpty();
    }

    /** First record of the group (-1 while empty). */
    long from() {
        return from;
    }

    /** Last record of the group (-1 while empty). */
    long to() {
        return to;
    }

    List<CycleOutput> cycles() {
        return cycles;
    }

    /** Decoded rows of every cycle in the group (what the replay rate counts). */
    int rows() {
        int rows = 0;
        for (CycleOutput o : cycles) {
            rows += o.rows().size();
        }
        return rows;
    }
}
