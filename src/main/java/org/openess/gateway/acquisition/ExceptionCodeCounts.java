package org.openess.gateway.acquisition;

import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ObjLongConsumer;

/**
 * Counts per Modbus exception code (0..255) of one device. Sparse: most devices never answer
 * with an exception, and a dense 256-slot array per counter cost 4 MB of heap at 1,000 devices
 * (BENCHMARKS.md "RSS at N = 1,000"). One writer (the poller's event loop), readers on any thread.
 */
final class ExceptionCodeCounts {
    private final ConcurrentSkipListMap<Integer, AtomicLong> counts = new ConcurrentSkipListMap<>();

    void increment(int code) {
        counts.computeIfAbsent(code & 0xFF, c -> new AtomicLong()).incrementAndGet();
    }

    long get(int code) {
        AtomicLong n = counts.get(code & 0xFF);
        return n == null ? 0 : n.get();
    }

    /** The codes that occurred, in ascending order. */
    void forEach(ObjLongConsumer<Integer> action) {
        counts.forEach((code, n) -> action.accept(code, n.get()));
    }
}
