package org.openess.gateway.sunspec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.openess.gateway.testsupport.UnitTest;
import org.openess.gateway.decode.DecodedRow;
import org.openess.gateway.decode.RegisterSnapshot;
import org.openess.gateway.plan.PlanLimits;
import org.openess.gateway.plan.ReadRequest;

import io.vertx.core.Vertx;

/**
 * A scale factor that changes while the device runs is applied per cycle: each cycle's values are
 * scaled by the factor read in that same cycle, never by the one seen at discovery.
 */
@UnitTest
class SunSpecScaleFactorPerCycleTest {

    @Test
    void eachCycleUsesItsOwnScaleFactors() throws Exception {
        Map<Integer, Integer> regs = new TreeMap<>();
        int[] chain = { 0x5375, 0x6E53, 713, 7, 2000, 1500, 553, 980, 1, 2, 0xFFFF /* Pct_SF -1 */, 0xFFFF, 0 };
        for (int i = 0; i < chain.length; i++) {
            regs.put(40000 + i, chain[i]);
        }
        Vertx vertx = Vertx.vertx();
        try (ModbusClientHarness h = new ModbusClientHarness(vertx, new StaticRegisters(regs))) {
            SunSpecSession session = new SunSpecSession(SunSpecSupport.builtin(), "d", PlanLimits.DEFAULT);
            SunSpecProfiles.Compiled compiled = h.await(c -> session.discover(h.reader(), c.connects()));

            DecodedRow first = decode(compiled, regs);
            assertEquals(200000.0, first.value("WHRtg"));
            assertEquals(55.3, first.value("SoC"));

            regs.put(40009, 0xFFFD); // WH_SF 2 → -3
            regs.put(40010, 0xFFFE); // Pct_SF -1 → -2
            DecodedRow second = decode(compiled, regs);
            assertEquals(2.0, second.value("WHRtg"));
            assertEquals(5.53, second.value("SoC"));

            regs.put(40010, 0x8000); // Pct_SF not implemented: its values are absent
            DecodedRow third = decode(compiled, regs);
            assertNull(third.value("SoC"));
            assertEquals(2.0, third.value("WHRtg"));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static DecodedRow decode(SunSpecProfiles.Compiled compiled, Map<Integer, Integer> regs) {
        RegisterSnapshot snapshot = new RegisterSnapshot(compiled.decoder().plan());
        for (ReadRequest r : compiled.decoder().plan().reads()) {
            int[] w = new int[r.count()];
            for (int i = 0; i < w.length; i++) {
                w[i] = regs.get(r.start() + i);
            }
            snapshot.succeeded(r.index(), w);
        }
        return compiled.decoder().decode("d", 1_700_000_000_000L, snapshot).rows().get(0);
    }
}
