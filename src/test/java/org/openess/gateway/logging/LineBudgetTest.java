package org.openess.gateway.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.openess.gateway.testsupport.CapturedLog;
import org.openess.gateway.testsupport.UnitTest;

/** N lines per interval, then counting; thread-safe; the summary line of what was held back. */
@UnitTest
class LineBudgetTest {
    final AtomicLong now = new AtomicLong(1_000_000);

    @Test
    void nLinesPerIntervalThenCountsUntilTheNextInterval() {
        LineBudget b = new LineBudget(3, Duration.ofSeconds(10), now::get);
        assertTrue(b.tryLine());
        assertTrue(b.tryLine());
        assertTrue(b.tryLine());
        assertFalse(b.tryLine());
        now.addAndGet(9_999);
        assertFalse(b.tryLine());
        assertEquals(2, b.refusedInWindow());
        now.addAndGet(1);
        assertEquals(0, b.refusedInWindow(), "a new window");
        assertTrue(b.tryLine());
        assertTrue(b.tryLine());
        assertTrue(b.tryLine());
        assertFalse(b.tryLine());
        assertEquals(3, b.refusedTotal());
    }

    @Test
    void zeroLinesRefusesEverythingAndBadArgumentsAreRefused() {
        LineBudget b = new LineBudget(0, Duration.ofSeconds(1), now::get);
        assertFalse(b.tryLine());
        assertEquals(1, b.refusedTotal());
        assertThrows(IllegalArgumentException.class, () -> new LineBudget(-1, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new LineBudget(1, Duration.ZERO));
    }

    @Test
    void manyThreadsTogetherGetExactlyTheBudget() throws Exception {
        LineBudget b = new LineBudget(20, Duration.ofHours(1));
        AtomicInteger granted = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 1000; i++) {
                    if (b.tryLine()) {
                        granted.incrementAndGet();
                    }
                }
            });
            th.start();
            threads.add(th);
        }
        go.countDown();
        for (Thread th : threads) {
            th.join();
        }
        assertEquals(20, granted.get());
        assertEquals(8000 - 20, b.refusedTotal());
    }

    @Test
    void budgetedLogWritesItsLinesThenOneSummaryByCause() {
        LineBudget b = new LineBudget(2, Duration.ofSeconds(10), now::get);
        BudgetedLog log = new BudgetedLog(org.jboss.logging.Logger.getLogger("budget-test"), b, "connection problems", "/api/devices");
        try (CapturedLog captured = CapturedLog.start()) {
            log.warn("connects refused", "line 1");
            log.warn("connects refused", "line 2");
            for (int i = 0; i < 30; i++) {
                log.warn("connections reopened after timeouts", "held back");
            }
            for (int i = 0; i < 7; i++) {
                log.warn("connects refused", "held back");
            }
            String summary = log.flush();
            assertEquals("37 more connection problems in the last 10 s (not logged one by one): 30 connections reopened after timeouts, "
                    + "7 connects refused; see /api/devices", summary);
            assertNull(log.flush(), "nothing held back since");
            List<String> lines = captured.lines().stream().filter(l -> l.contains("budget-test")).toList();
            assertEquals(3, lines.size(), lines.toString());
            assertFalse(captured.all().contains("held back"));
        }
    }

    @Test
    void summaryText() {
        Map<String, Long> counts = new TreeMap<>(Map.of("raised fault T", 3L));
        assertEquals("3 more alarm starts and ends in the last 2 min (not logged one by one): 3 raised fault T; see /api/alarms",
                BudgetedLog.summary(counts, "alarm starts and ends", LineBudget.describe(Duration.ofMinutes(2)), "/api/alarms"));
        assertEquals("10 s", LineBudget.describe(Duration.ofSeconds(10)));
        assertEquals("1500 ms", LineBudget.describe(Duration.ofMillis(1500)));
    }
}
