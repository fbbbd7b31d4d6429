package org.openess.gateway.storage.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.openess.gateway.testsupport.UnitTest;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.storage.buffer.Batch;

/** Cutting a group into the writer's batches. */
@UnitTest
class GroupBatchesTest {
    private static List<CycleOutput> cycles(int n) {
        List<CycleOutput> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(StoreFixture.cycle(i));
        }
        return out;
    }

    @Test
    void eachTableThenQualityThenGapsAtMostBatchRowsEach() {
        List<Batch> batches = GroupBatches.of(cycles(5), 2);
        int tables = SpoolFixture.LAYOUTS.size();
        assertEquals(3 * tables + 3 + 3, batches.size());
        for (int t = 0; t < tables; t++) {
            for (int part = 0; part < 3; part++) {
                Batch.Rows r = assertInstanceOf(Batch.Rows.class, batches.get(t * 3 + part));
                assertEquals(SpoolFixture.LAYOUTS.get(t), r.layout(), "tables in the cycles' order");
                assertEquals(part < 2 ? 2 : 1, r.size());
            }
        }
        for (int i = 0; i < 3; i++) {
            assertInstanceOf(Batch.Quality.class, batches.get(3 * tables + i));
            assertInstanceOf(Batch.Gaps.class, batches.get(3 * tables + 3 + i));
        }
        Batch.Rows first = (Batch.Rows) batches.get(0);
        assertEquals(SpoolFixture.T0, first.rows().get(0).tickMillis(), "rows keep the cycles' order");
        assertEquals(SpoolFixture.T0 + 1000, first.rows().get(1).tickMillis());
    }

    @Test
    void cyclesWithNothingToWriteMakeNoBatches() {
        CycleOutput empty = new CycleOutput("site-a", SpoolFixture.T0, List.of(), List.of(), List.of());
        assertTrue(GroupBatches.of(List.of(empty, empty), 10).isEmpty());
    }
}
