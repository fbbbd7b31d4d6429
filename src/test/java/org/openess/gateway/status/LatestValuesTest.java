package org.openess.gateway.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.openess.gateway.decode.CycleDecoder;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.decode.DecodedRow;
import org.openess.gateway.profile.ProfileLoader;
import org.openess.gateway.profile.TableLayout;
import org.openess.gateway.testsupport.UnitTest;

@UnitTest
class LatestValuesTest {
    private static final List<TableLayout> LAYOUTS = List.copyOf(CycleDecoder.layoutsOf(ProfileLoader.load("operation1")).values());

    private static CycleOutput cycle(long tick, List<TableLayout> layouts) {
        List<DecodedRow> rows = new ArrayList<>();
        for (TableLayout l : layouts) {
            DecodedRow r = new DecodedRow(l, "s", tick);
            for (int c = 0; c < l.width(); c++) {
                r.setLong(c, tick * 1000 + c);
            }
            r.setNull(0);
            rows.add(r);
        }
        return new CycleOutput("s", tick, rows, List.of(), List.of());
    }

    @Test
    void keepsTheLastValuesNotTheCyclesRowsAndFollowsAChangedShape() {
        LatestValues latest = new LatestValues();
        assertNull(latest.of("s"));
        CycleOutput first = cycle(1, LAYOUTS);
        latest.accept(first);
        CycleOutput seen = latest.of("s");
        latest.accept(cycle(2, LAYOUTS));
        // what a request already holds does not change under it
        assertEquals(1, seen.tickMillis());
        assertEquals(1000L + 1, seen.rows().get(0).getLong(1));
        CycleOutput now = latest.of("s");
        assertEquals(2, now.tickMillis());
        for (int i = 0; i < LAYOUTS.size(); i++) {
            DecodedRow r = now.rows().get(i);
            assertEquals(LAYOUTS.get(i), r.layout());
            assertEquals(2, r.tickMillis());
            assertNull(r.value(0));
            assertEquals(2000L + r.layout().width() - 1, r.getLong(r.layout().width() - 1));
        }
        // a partial cycle (fewer rows) and then a full one again
        latest.accept(cycle(3, LAYOUTS.subList(1, 2)));
        assertEquals(1, latest.of("s").rows().size());
        assertEquals(LAYOUTS.get(1), latest.of("s").rows().get(0).layout());
        latest.accept(cycle(4, LAYOUTS));
        assertEquals(LAYOUTS.size(), latest.of("s").rows().size());
        assertEquals(4000L + 1, latest.of("s").rows().get(0).getLong(1));
        // a cycle without rows (every read failed) leaves the last values
        latest.accept(new CycleOutput("s", 5, List.of(), List.of(), List.of()));
        assertEquals(4, latest.of("s").tickMillis());
    }
}
