package org.openess.gateway.storage.spool;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import org.openess.gateway.testsupport.UnitTest;

/** replay-rows-per-second as a token bucket, on a clock the test moves. */
@UnitTest
class ReplayRateTest {
    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong nanos = new AtomicLong(42 * SECOND);

    @Test
    void zeroIsUnlimited() {
        ReplayRate r = new ReplayRate(0, nanos::get);
        r.spent(1_000_000);
        assertTrue(r.allows());
    }

    @Test
    void aGroupMayOverdrawAndTheNextWaitsUntilItIsPaidBack() {
        ReplayRate r = new ReplayRate(100, nanos::get);
        assertTrue(r.allows(), "the first group goes at once");
        r.spent(150);
        assertFalse(r.allows());
        nanos.addAndGet(SECOND);
        assertFalse(r.allows(), "100 of 150 paid back");
        nanos.addAndGet(SECOND / 2);
        assertTrue(r.allows());
    }

    @Test
    void idleTimeSavesAtMostOneSecondOfRows() {
        ReplayRate r = new ReplayRate(100, nanos::get);
        nanos.addAndGet(60 * SECOND);
        assertTrue(r.allows());
        r.spent(101);
        assertFalse(r.allows(), "a minute idle is worth 100 rows, not 6,000");
    }
}
