package org.openess.gateway.storage.spool;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jboss.logging.Logger;
import org.openess.gateway.config.WhenFull;
import org.openess.gateway.config.SyncPolicy;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.profile.TableLayout;
import org.openess.gateway.storage.buffer.Batch;
import org.openess.gateway.storage.buffer.BufferCounters;
import org.openess.gateway.storage.buffer.DropLedger;
import org.openess.gateway.storage.buffer.MemoryRowBuffer;
import org.openess.gateway.storage.buffer.RowBuffer;

/**
 * The durable {@link RowBuffer}: every cycle is appended to the {@link SpoolStore} before it counts
 * as taken, the writer sends from the spool, and a range of sequence numbers is acknowledged only
 * when every batch made from it is committed. All disk I/O runs on one dedicated thread
 * ("ess-spool"); pollers and the writer (event loops) only touch in-memory queues.
 * <p>
 * The parts, in the order a cycle meets them: {@link HandOff} (pollers to the spool thread),
 * {@link CycleAppender} (to disk, or to memory via {@link MemoryFallback}, within
 * {@link SpaceLimit}, forced per {@link SyncSchedule}), {@link LiveWindow} (the newest cycles, sent
 * first), {@link BacklogReplay} (what fell out of the window or survived a restart, read back in
 * order within {@link ReplayRate}), {@link GroupHandOut} and {@link ReadyBatches} (batches for the
 * writer, replay leaving one in-flight slot to live data), {@link Acknowledgements} (ranges
 * committed once written) and {@link SpoolStatus}. Memory is flat in the backlog's size: the window,
 * one replay group ahead and the hand-off queue are all bounded.
 */
public final class SpoolRowBuffer implements RowBuffer {
    private static final Logger LOG = Logger.getLogger(SpoolRowBuffer.class);
    private static final long TICK_WAIT_MILLIS = 10;

    public record Settings(Path dir, SyncPolicy sync, long syncIntervalMillis, long maxBytes, long segmentBytes,
            WhenFull whenFull, int replayRowsPerSecond, int handoffCycles, int batchRows, int maxInFlight,
            long flushIntervalMillis) {

        /** {@code ess.spool.sync} as configured. */
        public String syncName() {
            return sync.name().toLowerCase(Locale.ROOT);
        }

        /** {@code ess.spool.when-full} as configured. */
        public String whenFullName() {
            return whenFull.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** What {@code /api/status} shows of the spool. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record Status(String dir, String sync, String whenFull, long bytes, long maxBytes, int segments, long records,
            String oldestUnsentTick, long oldestUnsentAgeSeconds, long replayPending, long replayedRecords,
            long liveWindowRows, long droppedCycles, long droppedRows, long corruptSegments, long corruptRecords,
            long truncatedBytes, boolean fallback, String fallbackReason, long fallbackCycles, long handoffQueued,
            long handoffOverflows, long syncs, long memoryBuffered) {
    }

    private final Settings settings;
    private final MemoryRowBuffer memory;
    private final DropLedger ledger;
    private final BufferCounters counters = new BufferCounters();
    private final HandOff handoff;
    private final ReadyBatches ready;
    private final Acknowledgements acks;
    private final MemoryFallback fallback;
    private final Thread thread;
    private final Object wake = new Object();
    private volatile boolean closing;
    private volatile Status status;

    // spool thread only (and the constructor)
    private final SpoolDisk disk;
    private final CycleAppender appender;
    private final GroupHandOut handOut;
    private final SpoolStatus statusReader;

    /** Opens the spool folder (recovering what an earlier run left) and starts the spool thread. */
    public SpoolRowBuffer(Settings settings, List<TableLayout> layouts, MemoryRowBuffer memory) throws IOException {
        this.settings = settings;
        this.memory = memory;
        this.ledger = memory.ledger();
        RecordCodec codec = new RecordCodec(layouts);
        this.handoff = new HandOff(settings.handoffCycles(), this::wakeUp);
        this.ready = new ReadyBatches(this::wakeUp);
        this.acks = new Acknowledgements(Math.max(1, settings.maxInFlight() - 1), this::wakeUp);
        this.fallback = new MemoryFallback(settings.dir(), memory, System::currentTimeMillis);
        LiveWindow window = new LiveWindow(settings.batchRows(), settings.flushIntervalMillis());
        BacklogReplay replay = new BacklogReplay(codec, settings.batchRows(),
                new ReplayRate(settings.replayRowsPerSecond(), System::nanoTime), System::currentTimeMillis);
        SpaceLimit space = new SpaceLimit(settings, codec, ledger, counters, acks::isOutstanding, s -> {
            // a segment dropped to make room: nothing reads or hands out its records any more
            replay.forget(s);
            window.dropThrough(s.lastSeq);
        });
        SyncSchedule sync = new SyncSchedule(settings.sync(), settings.syncIntervalMillis(), System::currentTimeMillis);
        this.disk = new SpoolDisk(settings, codec, sync, replay, fallback);
        this.appender = new CycleAppender(codec, space, fallback, sync, window, replay.backlog(), counters, disk::failed);
        this.handOut = new GroupHandOut(settings.batchRows(), window, replay, acks, ready);
        this.statusReader = new SpoolStatus(settings, handoff, window, replay, acks, space, fallback, sync,
                System::currentTimeMillis);
        disk.open();
        status = statusReader.read(disk.store());
        thread = new Thread(this::run, "ess-spool");
        thread.setDaemon(true);
        thread.start();
    }

    // ---- writer and poller side (any thread, never blocks) ----

    @Override
    public boolean offer(CycleOutput output) {
        return (!closing && handoff.offer(output)) || fallback.offer(output);
    }

    @Override
    public Batch take(int maxRows) {
        Batch b = ready.take(acks.replaySlotFree());
        if (b == null) {
            return memory.take(maxRows);
        }
        acks.taken(b);
        return b;
    }

    /** Rows handed out as live batches and not yet taken (tests wait on it: a live cycle is ready only after its flush interval). */
    long liveReadyRows() {
        return ready.liveRows();
    }

    @Override
    public void ack(Batch batch) {
        if (acks.ack(batch) == null) {
            memory.ack(batch);
        }
    }

    @Override
    public void requeue(Batch batch) {
        if (acks.requeued(batch)) {
            ready.retry(batch);
        } else {
            memory.requeue(batch);
        }
    }

    @Override
    public void reject(Batch batch, String reason) {
        if (!acks.owns(batch)) {
            memory.reject(batch, reason);
            return;
        }
        if (batch instanceof Batch.Rows r) {
            ledger.addRows(r.rows(), reason);
        }
        ack(batch);
    }

    @Override
    public boolean replayed(Batch batch) {
        return acks.replayed(batch);
    }

    @Override
    public long size() {
        Status s = status;
        return (s == null ? 0 : s.records()) + handoff.size() + memory.size();
    }

    @Override
    public long capacity() {
        return settings.maxBytes();
    }

    @Override
    public BufferCounters counters() {
        return counters;
    }

    /** Rows the memory fallback took (disk unwritable or hand-off queue full) are counted there. */
    public BufferCounters fallbackCounters() {
        return memory.counters();
    }

    @Override
    public void onReady(int batchRows, Runnable wakeUp) {
        // the memory fallback gets no wake-up: its rows wait for the writer's flush interval
        handOut.onReady(wakeUp);
    }

    @Override
    public boolean durable() {
        return true;
    }

    public Status status() {
        return status;
    }

    @Override
    public void close(long timeoutMillis) {
        closing = true;
        wakeUp();
        try {
            thread.join(Math.max(1, timeoutMillis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.errorf("spool thread did not finish within %d ms; %d cycle(s) still in the hand-off queue", timeoutMillis,
                    handoff.size());
        }
        if (memory.size() > 0) {
            LOG.errorf("stopping with %d record(s) in the memory buffer (the spool could not take them): they are lost",
                    memory.size());
        }
    }

    private void wakeUp() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    // ---- spool thread ----

    private void run() {
        List<CycleOutput> drained = new ArrayList<>();
        while (true) {
            try {
                boolean stop = closing;
                if (handoff.drainTo(drained)) {
                    appender.append(disk.store(), drained);
                }
                disk.syncIfDue(stop);
                acks.commitCompleted(disk.store());
                if (!stop) {
                    handOut.handOut(disk.store(), System.currentTimeMillis());
                }
                disk.probeIfDue();
                disk.persistAcksIfDue(stop);
                status = statusReader.read(disk.store());
                if (stop && handoff.isEmpty()) {
                    break;
                }
                if (handoff.isEmpty() && !acks.hasCompleted()) {
                    synchronized (wake) {
                        wake.wait(TICK_WAIT_MILLIS);
                    }
                }
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException | Error e) {
                // never a silent stall: say what broke and keep the loop alive
                LOG.errorf(e, "spool thread error (continuing)");
                sleepQuietly(100);
            }
        }
        disk.close();
        status = statusReader.read(disk.store());
        LOG.infof("spool closed: %d unsent record(s) on disk for the next start", disk.store().pendingRecords());
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
