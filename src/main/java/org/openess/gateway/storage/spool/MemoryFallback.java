package org.openess.gateway.storage.spool;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.storage.buffer.MemoryRowBuffer;

/**
 * While the spool folder cannot be written (disk full, read-only, folder gone) cycles go to the
 * memory buffer ({@code ess.storage.buffer-rows}), and a probe every 5 s finds out when the disk
 * takes them again. The hand-off queue overflows into the same memory buffer. The state is the
 * spool thread's; {@link #offer} may be called from any thread.
 */
final class MemoryFallback {
    private static final Logger LOG = Logger.getLogger(MemoryFallback.class);
    static final long PROBE_MILLIS = 5_000;

    /** Tries the disk; throws when it still cannot be written. */
    interface Probe {
        void run() throws IOException;
    }

    private final Path dir;
    private final MemoryRowBuffer memory;
    private final LongSupplier millis;
    private final AtomicLong cycles = new AtomicLong();
    private boolean active;
    private String reason;
    private long nextProbe;

    MemoryFallback(Path dir, MemoryRowBuffer memory, LongSupplier millis) {
        this.dir = dir;
        this.memory = memory;
        this.millis = millis;
    }

    /** Sends a cycle to the memory buffer (counted); false when that is full too. */
    boolean offer(CycleOutput cycle) {
        cycles.incrementAndGet();
        return memory.offer(cycle);
    }

    /** The disk failed with {@code e}: new cycles go to memory until a probe succeeds. */
    void enter(IOException e) {
        if (!active) {
            LOG.errorf("spool %s cannot be written (%s): cycles go to the memory buffer (ess.storage.buffer-rows) until it can;"
                    + " polling goes on", dir, e.toString());
        }
        active = true;
        reason = e.toString();
        nextProbe = millis.getAsLong() + PROBE_MILLIS;
    }

    /** Runs {@code probe} when a probe is due: on success the disk is used again, on failure {@code onFailure} runs. */
    void probeIfDue(Probe probe, Runnable onFailure) {
        if (!active || millis.getAsLong() < nextProbe) {
            return;
        }
        try {
            probe.run();
            active = false;
            LOG.infof("spool %s is writable again: new cycles go to disk (%d record(s) still in the memory buffer are written "
                    + "from there)", dir, memory.size());
            reason = null;
        } catch (IOException e) {
            onFailure.run();
            nextProbe = millis.getAsLong() + PROBE_MILLIS;
            reason = e.toString();
        }
    }

    /** True while cycles go to memory instead of the disk. */
    boolean active() {
        return active;
    }

    /** Why the disk was last found unwritable; null when it is written. */
    String reason() {
        return reason;
    }

    /** Cycles sent to the memory buffer since start. */
    long cycles() {
        return cycles.get();
    }

    /** Records waiting in the memory buffer. */
    long buffered() {
        return memory.size();
    }
}
