package org.openess.gateway.storage.spool;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;
import org.openess.gateway.decode.CycleOutput;

/**
 * The bounded queue from pollers to the spool thread ({@code ess.spool.handoff-cycles}). When it is
 * full the disk is slower than the data: the offer is refused (the caller sends the cycle to the
 * memory buffer) and counted.
 */
final class HandOff {
    private static final Logger LOG = Logger.getLogger(HandOff.class);
    /** Cycles the spool thread takes per turn of its loop. */
    static final int DRAIN_CYCLES = 4096;

    private final int capacity;
    private final ArrayBlockingQueue<CycleOutput> queue;
    private final AtomicLong overflows = new AtomicLong();
    private final Runnable wakeSpoolThread;

    HandOff(int capacity, Runnable wakeSpoolThread) {
        this.capacity = capacity;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.wakeSpoolThread = wakeSpoolThread;
    }

    /** Any thread, never blocks; false (counted) when full. */
    boolean offer(CycleOutput cycle) {
        if (queue.offer(cycle)) {
            if (queue.size() == 1) {
                wakeSpoolThread.run();
            }
            return true;
        }
        long n = overflows.incrementAndGet();
        if (n == 1 || Long.bitCount(n) == 1) {
            LOG.errorf("spool hand-off queue full (%d cycles, ess.spool.handoff-cycles): the disk is slower than the "
                    + "data; cycles go to the memory buffer (%d so far)", capacity, n);
        }
        return false;
    }

    /** Replaces {@code into}'s content with the oldest waiting cycles; true when there were any. */
    boolean drainTo(List<CycleOutput> into) {
        into.clear();
        queue.drainTo(into, DRAIN_CYCLES);
        return !into.isEmpty();
    }

    int size() {
        return queue.size();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    long overflows() {
        return overflows.get();
    }
}
