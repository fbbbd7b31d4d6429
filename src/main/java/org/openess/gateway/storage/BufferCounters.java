package org.openess.gateway.storage;

import java.util.concurrent.atomic.AtomicLong;

/** What a buffer took and what it had to drop (rows of dropped cycles, and the cycles). */
public final class BufferCounters {
    private final AtomicLong rowsAccepted = new AtomicLong();
    private final AtomicLong rowsDropped = new AtomicLong();
    private final AtomicLong cyclesDropped = new AtomicLong();

    public void accepted(int rows) {
        rowsAccepted.addAndGet(rows);
    }

    /** Returns the rows dropped so far, this cycle included. */
    public long dropped(int rows) {
        cyclesDropped.incrementAndGet();
        return rowsDropped.addAndGet(rows);
    }

    /** Several cycles at once (a spool segment dropped whole). */
    public void dropped(long cycles, long rows) {
        cyclesDropped.addAndGet(cycles);
        rowsDropped.addAndGet(rows);
    }

    public long rowsAccepted() {
        return rowsAccepted.get();
    }

    public long rowsDropped() {
        return rowsDropped.get();
    }

    public long cyclesDropped() {
        return cyclesDropped.get();
    }
}
