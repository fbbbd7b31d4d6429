package org.openess.gateway.storage.buffer;

import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Counts per table name, made on first use. The tables of a gateway are few (its profiles' tables,
 * those SunSpec devices discover at run time, {@code ess_quality} and {@code ess_gaps}), so the
 * map grows with them and nothing else; concurrent because pollers, the writer and the spool
 * thread count while the operator surfaces read.
 */
public final class TableCounters {
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    /** Adds {@code n} to the table's count (0 only makes the table known). */
    public void add(String table, long n) {
        AtomicLong c = counts.get(table);
        if (c == null) {
            c = counts.computeIfAbsent(table, k -> new AtomicLong());
        }
        if (n != 0) {
            c.addAndGet(n);
        }
    }

    public long get(String table) {
        AtomicLong c = counts.get(table);
        return c == null ? 0 : c.get();
    }

    /** Live, read-only view: table name to count. */
    public Map<String, AtomicLong> view() {
        return Collections.unmodifiableMap(counts);
    }

    /** The sum over the tables {@code included} accepts. */
    public long sum(Predicate<String> included) {
        long sum = 0;
        for (Map.Entry<String, AtomicLong> e : counts.entrySet()) {
            if (included.test(e.getKey())) {
                sum += e.getValue().get();
            }
        }
        return sum;
    }
}
