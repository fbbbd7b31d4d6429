package org.openess.gateway.storage.spool;

import org.openess.gateway.config.WhenFull;
import org.openess.gateway.config.SyncPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.jboss.logging.Logger;
import org.openess.gateway.decode.Alarm;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.decode.DecodedRow;
import org.openess.gateway.decode.GapEvent;
import org.openess.gateway.decode.QualityEvent;
import org.openess.gateway.profile.TableLayout;
import org.openess.gateway.storage.Batch;
import org.openess.gateway.storage.BufferCounters;
import org.openess.gateway.storage.DropLedger;
import org.openess.gateway.storage.MemoryRowBuffer;
import org.openess.gateway.storage.RowBuffer;

/**
 * The durable {@link RowBuffer}: every cycle is appended to the {@link SpoolStore} before it counts
 * as taken, the writer sends from the spool, and a range of sequence numbers is acknowledged only
 * when every batch made from it is committed. All disk I/O runs on one dedicated thread
 * ("ess-spool"); pollers and the writer (event loops) only touch in-memory queues.
 * <p>
 * Live data keeps its latency during a catch-up: the newest cycles wait in a small in-memory window
 * and are handed to the writer first; whatever falls out of the window (the writer could not keep
 * up, the database was down, or the service restarted) becomes backlog, read back from disk in
 * order and written with the in-flight slots live data leaves free (all but one, so a live batch
 * never waits behind a full set of replay statements), optionally capped by
 * {@code replay-rows-per-second}. Memory is flat in the backlog's size: the window, one replay
 * group ahead and the hand-off queue are all bounded.
 * <p>
 * Bounded queues and what happens when they fill: the hand-off queue
 * ({@code ess.spool.handoff-cycles}) sends further cycles to the memory buffer (counted,
 * {@code handoffOverflows}); the disk ({@code ess.spool.max-bytes}) drops per
 * {@code ess.spool.when-full}, each dropped tick recorded for {@code ess_gaps}. When the disk
 * cannot be written (full, read-only, folder gone) cycles go to the memory buffer
 * ({@code ess.storage.buffer-rows}) until a probe every 5 s finds it writable again.
 */
public final class SpoolRowBuffer implements RowBuffer {
    private static final Logger LOG = Logger.getLogger(SpoolRowBuffer.class);
    private static final long PROBE_MILLIS = 5_000;
    private static final long TICK_WAIT_MILLIS = 10;

    public record Settings(Path dir, SyncPolicy sync, long syncIntervalMillis, long maxBytes, long segmentBytes,
            WhenFull whenFull, int replayRowsPerSecond, int handoffCycles, int batchRows, int maxInFlight,
            long flushIntervalMillis) {
    }

    /** What {@code /api/status} shows of the spool. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record Status(String dir, String sync, String whenFull, long bytes, long maxBytes, int segments, long records,
            String oldestUnsentTick, long oldestUnsentAgeSeconds, long replayPending, long replayedRecords,
            long liveWindowRows, long droppedCycles, long droppedRows, long corruptSegments, long corruptRecords,
            long truncatedBytes, boolean fallback, String fallbackReason, long fallbackCycles, long handoffQueued,
            long handoffOverflows, long syncs, long memoryBuffered) {
    }

    /** Consecutive records handed to the writer as batches; acknowledged as one range. */
    private static final class Group {
        final long from;
        final long to;
        final boolean replay;
        final AtomicInteger remaining = new AtomicInteger();

        Group(long from, long to, boolean replay) {
            this.from = from;
            this.to = to;
            this.replay = replay;
        }
    }

    /** A cycle on disk and still in memory; {@code records} as {@link CycleOutput#records()} (what the live window counts). */
    private record Pending(long seq, CycleOutput output, int records) {
    }

    private final Settings settings;
    private SpoolStore store;
    private boolean opened;
    private final RecordCodec codec;
    private final MemoryRowBuffer fallback;
    private final DropLedger ledger;
    private final BufferCounters counters = new BufferCounters();
    private final ArrayBlockingQueue<CycleOutput> handoff;
    private final ConcurrentLinkedDeque<Batch> retry = new ConcurrentLinkedDeque<>();
    private final ConcurrentLinkedDeque<Batch> liveReady = new ConcurrentLinkedDeque<>();
    private final ConcurrentLinkedDeque<Batch> replayReady = new ConcurrentLinkedDeque<>();
    private final AtomicLong liveReadyRows = new AtomicLong();
    private final AtomicLong replayReadyRows = new AtomicLong();
    private final AtomicInteger replayInFlight = new AtomicInteger();
    private final ConcurrentLinkedQueue<Group> completed = new ConcurrentLinkedQueue<>();
    private final Map<Batch, Group> owner = Collections.synchronizedMap(new IdentityHashMap<>());
    private final int replaySlots;
    private final String fullReason;
    private final Thread thread;
    private final Object wake = new Object();
    private volatile Runnable onReady = () -> {
    };
    private volatile boolean closing;
    private volatile boolean closed;
    private volatile Status status;
    private final AtomicLong handoffOverflows = new AtomicLong();
    private final AtomicLong fallbackCycles = new AtomicLong();

    // spool thread only
    private final ArrayDeque<Pending> window = new ArrayDeque<>();
    private long windowRows;
    private final long windowMaxRows;
    private final ArrayDeque<long[]> replay = new ArrayDeque<>();
    private final TreeMap<Long, Group> outstanding = new TreeMap<>();
    /** A backlog record read but left for the next group (it did not fit): saves reading its segment again. */
    private Pending carry;
    private SegmentReader reader;
    private SpoolStore.Segment readerSegment;
    private long replayPausedUntil;
    private double replayTokens;
    private long replayTokensAt = System.nanoTime();
    private long replayedRecords;
    private long lastLivePublish;
    private long lastSync = System.currentTimeMillis();
    private long lastAckPersist;
    private long syncs;
    private long droppedCycles;
    private long droppedRows;
    private boolean inFallback;
    private String fallbackReason;
    private long nextProbe;

    /** Opens the spool folder (recovering what an earlier run left) and starts the spool thread. */
    public SpoolRowBuffer(Settings settings, List<TableLayout> layouts, MemoryRowBuffer fallback) throws IOException {
        this.settings = settings;
        this.fallback = fallback;
        this.ledger = fallback.ledger();
        this.codec = new RecordCodec(layouts);
        this.handoff = new ArrayBlockingQueue<>(settings.handoffCycles());
        this.replaySlots = Math.max(1, settings.maxInFlight() - 1);
        this.windowMaxRows = Math.max(8L * settings.batchRows(), 1);
        this.fullReason = "dropped: spool full (ess.spool.max-bytes=" + settings.maxBytes() + ", "
                + settings.whenFull().name().toLowerCase().replace('_', '-') + ")";
        this.store = new SpoolStore(settings.dir(), settings.segmentBytes());
        try {
            openStore();
        } catch (IOException e) {
            // an unusable folder at start is handled like one that breaks later: memory, a probe every 5 s
            this.store = new SpoolStore(settings.dir(), settings.segmentBytes());
            enterFallback(e);
        }
        long backlog = store.pendingRecords();
        LOG.infof("spool %s: %d segment(s), %d byte(s), %d unsent record(s) to replay; sync=%s, max-bytes=%d, when-full=%s",
                settings.dir(), store.segmentCount(), store.totalBytes(), backlog, settings.sync().name().toLowerCase(),
                settings.maxBytes(), settings.whenFull().name().toLowerCase().replace('_', '-'));
        publishStatus();
        thread = new Thread(this::run, "ess-spool");
        thread.setDaemon(true);
        thread.start();
    }

    // ---- writer and poller side (any thread, never blocks) ----

    @Override
    public boolean offer(CycleOutput output) {
        if (!closing && handoff.offer(output)) {
            if (handoff.size() == 1) {
                wakeUp();
            }
            return true;
        }
        if (!closing) {
            long n = handoffOverflows.incrementAndGet();
            if (n == 1 || Long.bitCount(n) == 1) {
                LOG.errorf("spool hand-off queue full (%d cycles, ess.spool.handoff-cycles): the disk is slower than the "
                        + "data; cycles go to the memory buffer (%d so far)", settings.handoffCycles(), n);
            }
        }
        fallbackCycles.incrementAndGet();
        return fallback.offer(output);
    }

    @Override
    public Batch take(int maxRows) {
        Batch b = retry.pollFirst();
        if (b != null) {
            Group g = owner.get(b);
            if (g != null && g.replay) {
                replayInFlight.incrementAndGet();
            }
            return b;
        }
        b = liveReady.pollFirst();
        if (b != null) {
            liveReadyRows.addAndGet(-b.size());
            wakeUp();
            return b;
        }
        if (replayInFlight.get() < replaySlots) {
            b = replayReady.pollFirst();
            if (b != null) {
                replayReadyRows.addAndGet(-b.size());
                replayInFlight.incrementAndGet();
                wakeUp();
                return b;
            }
        }
        return fallback.take(maxRows);
    }

    /** Rows handed out as live batches and not yet taken (tests wait on it: a live cycle is ready only after its flush interval). */
    long liveReadyRows() {
        return liveReadyRows.get();
    }

    @Override
    public void ack(Batch batch) {
        Group g = owner.remove(batch);
        if (g == null) {
            fallback.ack(batch);
            return;
        }
        if (g.replay) {
            replayInFlight.decrementAndGet();
        }
        if (g.remaining.decrementAndGet() == 0) {
            completed.add(g);
            wakeUp();
        }
    }

    @Override
    public void requeue(Batch batch) {
        Group g = owner.get(batch);
        if (g == null) {
            fallback.requeue(batch);
            return;
        }
        if (g.replay) {
            replayInFlight.decrementAndGet();
        }
        retry.addFirst(batch);
    }

    @Override
    public void reject(Batch batch, String reason) {
        if (!owner.containsKey(batch)) {
            fallback.reject(batch, reason);
            return;
        }
        if (batch instanceof Batch.Rows r) {
            ledger.addRows(r.rows(), reason);
        }
        ack(batch);
    }

    @Override
    public boolean replayed(Batch batch) {
        Group g = owner.get(batch);
        return g != null && g.replay;
    }

    @Override
    public long size() {
        Status s = status;
        return (s == null ? 0 : s.records()) + handoff.size() + fallback.size();
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
        return fallback.counters();
    }

    @Override
    public void onReady(int batchRows, Runnable wakeUp) {
        // publish() calls it; the memory fallback gets no wake-up: its rows wait for the writer's flush interval
        this.onReady = wakeUp;
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
        if (fallback.size() > 0) {
            LOG.errorf("stopping with %d record(s) in the memory buffer (the spool could not take them): they are lost",
                    fallback.size());
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
                drained.clear();
                handoff.drainTo(drained, 4096);
                if (!drained.isEmpty()) {
                    append(drained);
                }
                syncIfDue(stop);
                processCompleted();
                if (!stop) {
                    prefetchLive();
                    prefetchReplay();
                }
                if (inFallback && System.currentTimeMillis() >= nextProbe) {
                    probe();
                }
                persistAcksIfDue(stop);
                publishStatus();
                if (stop && handoff.isEmpty()) {
                    break;
                }
                if (handoff.isEmpty() && completed.isEmpty()) {
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
        closeQuietly();
        closed = true;
    }

    private void append(List<CycleOutput> cycles) {
        List<CycleOutput> appended = new ArrayList<>(cycles.size());
        for (CycleOutput o : cycles) {
            if (inFallback) {
                toFallback(o);
                continue;
            }
            byte[] payload = codec.encode(o);
            int length = codec.length();
            int rows = o.rows().size();
            if (!makeRoom(SpoolFormat.RECORD_HEADER_BYTES + length)) {
                ledger.addCycle(o, fullReason);
                counters.dropped(o);
                noteDrop(1, rows);
                continue;
            }
            try {
                long seq = store.append(payload, length, o.tickMillis());
                int records = o.records();
                window.addLast(new Pending(seq, o, records));
                windowRows += records;
                appended.add(o);
            } catch (IOException e) {
                enterFallback(e);
                toFallback(o);
            }
        }
        if (settings.sync() == SyncPolicy.ALWAYS && !appended.isEmpty()) {
            try {
                store.sync();
                syncs++;
                lastSync = System.currentTimeMillis();
            } catch (IOException e) {
                // written to the page cache but not proven durable: count them taken, and stop trusting the disk
                enterFallback(e);
            }
        }
        for (CycleOutput o : appended) {
            counters.accepted(o.rows().size());
        }
        // the window is live data waiting for the writer; what falls out of it is backlog, read back from disk
        while (windowRows > windowMaxRows && window.size() > 1) {
            Pending p = window.pollFirst();
            windowRows -= p.records();
            addReplay(p.seq(), p.seq());
        }
    }

    private void toFallback(CycleOutput o) {
        fallbackCycles.incrementAndGet();
        fallback.offer(o);
    }

    private void addReplay(long from, long to) {
        long[] last = replay.peekLast();
        if (last != null && last[1] + 1 == from) {
            last[1] = to;
        } else {
            replay.addLast(new long[] { from, to });
        }
    }

    /** True when a record of {@code bytes} fits (after dropping the oldest segment if the policy says so). */
    private boolean makeRoom(long bytes) {
        while (store.totalBytes() + bytes > settings.maxBytes()) {
            if (settings.whenFull() == WhenFull.DROP_NEWEST) {
                return false;
            }
            SpoolStore.Segment oldest = store.oldestClosed();
            if (oldest == null) {
                try {
                    store.roll();
                } catch (IOException e) {
                    return false;
                }
                oldest = store.oldestClosed();
                if (oldest == null) {
                    return false;
                }
            }
            dropSegment(oldest);
        }
        return true;
    }

    /** drop-oldest: every unsent tick of the segment is recorded for ess_gaps, then the file goes. */
    private void dropSegment(SpoolStore.Segment s) {
        long cycles = 0;
        long rows = 0;
        try (SegmentReader r = new SegmentReader(s.path, s.bytes)) {
            SegmentReader.Entry e;
            while ((e = r.next()) != null) {
                if (store.isCommitted(e.seq()) || isOutstanding(e.seq())) {
                    continue;
                }
                CycleOutput o = codec.decode(e.payload(), e.length());
                ledger.addCycle(o, fullReason);
                counters.dropped(o);
                cycles++;
                rows += o.rows().size();
            }
            if (r.problem() != null) {
                long lost = store.moveAside(s, r.expectedSeq(), r.problem());
                LOG.errorf("spool: %d record(s) of %s unreadable while dropping it", lost, s.path.getFileName());
            }
        } catch (IOException | RuntimeException e) {
            LOG.errorf("spool: cannot read %s while dropping it (%s); its ticks are not itemised in ess_gaps",
                    s.path.getFileName(), e.getMessage());
        }
        if (readerSegment == s) {
            closeReader();
        }
        store.commit(s.firstSeq, s.lastSeq);
        store.delete(s);
        trimReplayBelow(s.lastSeq + 1);
        while (!window.isEmpty() && window.peekFirst().seq() <= s.lastSeq) {
            windowRows -= window.pollFirst().records();
        }
        noteDrop(cycles, rows);
        LOG.warnf("spool full (ess.spool.max-bytes=%d): dropped the oldest segment %s, %d unsent cycle(s), %d row(s); "
                + "recorded in ess_gaps", settings.maxBytes(), s.path.getFileName(), cycles, rows);
    }

    private void noteDrop(long cycles, long rows) {
        droppedCycles += cycles;
        droppedRows += rows;
    }

    private boolean isOutstanding(long seq) {
        Map.Entry<Long, Group> e = outstanding.floorEntry(seq);
        return e != null && e.getValue().to >= seq;
    }

    private void trimReplayBelow(long seq) {
        while (!replay.isEmpty()) {
            long[] r = replay.peekFirst();
            if (r[1] < seq) {
                replay.pollFirst();
            } else {
                r[0] = Math.max(r[0], seq);
                return;
            }
        }
    }

    private void syncIfDue(boolean stopping) {
        if (inFallback || !store.unsynced()) {
            return;
        }
        long now = System.currentTimeMillis();
        boolean due = switch (settings.sync()) {
            case INTERVAL -> now - lastSync >= settings.syncIntervalMillis();
            case ALWAYS -> true;
            case NEVER -> false;
        };
        if (due || stopping) {
            try {
                store.sync();
                syncs++;
                lastSync = now;
            } catch (IOException e) {
                enterFallback(e);
            }
        }
    }

    private void processCompleted() {
        Group g;
        boolean any = false;
        while ((g = completed.poll()) != null) {
            store.commit(g.from, g.to);
            outstanding.remove(g.from);
            if (g.replay) {
                replayedRecords += g.to - g.from + 1;
            }
            any = true;
        }
        if (any) {
            store.deleteCommitted();
        }
    }

    private void persistAcksIfDue(boolean stopping) {
        long now = System.currentTimeMillis();
        if (!stopping && now - lastAckPersist < Math.max(50, settings.syncIntervalMillis())) {
            return;
        }
        lastAckPersist = now;
        try {
            store.persistAcks(settings.sync() != SyncPolicy.NEVER && stopping);
        } catch (IOException e) {
            // losing acknowledgements only means sending committed rows again, which the unique key ignores
            if (!inFallback) {
                LOG.debugf("spool: cannot write the acknowledgement file (%s)", e.getMessage());
            }
        }
    }

    /** Hands the window's oldest cycles to the writer as one group once a batch fills or the flush interval passes. */
    private void prefetchLive() {
        if (window.isEmpty() || liveReadyRows.get() >= 2L * settings.batchRows()) {
            return;
        }
        long now = System.currentTimeMillis();
        if (windowRows < settings.batchRows() && now - lastLivePublish < settings.flushIntervalMillis()) {
            return;
        }
        List<CycleOutput> cycles = new ArrayList<>();
        Map<TableLayout, Integer> perTable = new IdentityHashMap<>();
        long from = window.peekFirst().seq();
        long to = from - 1;
        while (!window.isEmpty() && fits(perTable, window.peekFirst().output(), cycles.isEmpty())) {
            Pending p = window.pollFirst();
            windowRows -= p.records();
            cycles.add(p.output());
            to = p.seq();
        }
        lastLivePublish = now;
        publish(new Group(from, to, false), cycles);
    }

    private boolean fits(Map<TableLayout, Integer> perTable, CycleOutput o, boolean first) {
        Map<TableLayout, Integer> add = new IdentityHashMap<>();
        for (DecodedRow r : o.rows()) {
            add.merge(r.layout(), 1, Integer::sum);
        }
        if (!first) {
            for (Map.Entry<TableLayout, Integer> e : add.entrySet()) {
                if (perTable.getOrDefault(e.getKey(), 0) + e.getValue() > settings.batchRows()) {
                    return false;
                }
            }
        }
        add.forEach((k, v) -> perTable.merge(k, v, Integer::sum));
        return true;
    }

    /** Reads the next backlog group from disk, one group ahead of the writer, within the replay rate. */
    private void prefetchReplay() {
        if (replay.isEmpty() || replayReadyRows.get() > 0 || System.currentTimeMillis() < replayPausedUntil) {
            return;
        }
        if (settings.replayRowsPerSecond() > 0) {
            long now = System.nanoTime();
            replayTokens = Math.min(settings.replayRowsPerSecond(),
                    replayTokens + (now - replayTokensAt) / 1e9 * settings.replayRowsPerSecond());
            replayTokensAt = now;
            if (replayTokens < 0) {
                return;
            }
        }
        List<CycleOutput> cycles = new ArrayList<>();
        Map<TableLayout, Integer> perTable = new IdentityHashMap<>();
        long from = -1;
        long to = -1;
        while (!replay.isEmpty()) {
            long[] r = replay.peekFirst();
            long seq = r[0];
            if (from >= 0 && seq != to + 1) {
                break;
            }
            if (store.isCommitted(seq)) {
                advanceReplay(r);
                if (from >= 0) {
                    break;
                }
                continue;
            }
            if (carry != null && carry.seq() == seq) {
                Pending c = carry;
                if (!fits(perTable, c.output(), cycles.isEmpty())) {
                    break;
                }
                carry = null;
                cycles.add(c.output());
                if (from < 0) {
                    from = seq;
                }
                to = seq;
                advanceReplay(r);
                continue;
            }
            carry = null;
            SegmentReader.Entry e;
            try {
                e = readAt(seq);
            } catch (IOException ex) {
                // the folder is unreadable for now (replaced, unmounted): retry later, lose nothing
                closeReader();
                replayPausedUntil = System.currentTimeMillis() + PROBE_MILLIS;
                LOG.warnf("spool: cannot read record %d (%s); replay paused for %d s", seq, ex.getMessage(),
                        PROBE_MILLIS / 1000);
                break;
            }
            if (e == null) {
                if (from >= 0) {
                    break;
                }
                continue;
            }
            CycleOutput o;
            try {
                o = codec.decode(e.payload(), e.length());
            } catch (RuntimeException ex) {
                // checksum fine but content unreadable (written by an incompatible version): lost, counted
                LOG.errorf("spool: record %d cannot be decoded (%s); skipped", seq, ex.getMessage());
                store.commit(seq, seq);
                store.corruptRecords++;
                advanceReplay(r);
                if (from >= 0) {
                    break;
                }
                continue;
            }
            if (!fits(perTable, o, cycles.isEmpty())) {
                // this record starts the next group
                carry = new Pending(seq, o, o.records());
                break;
            }
            cycles.add(o);
            if (from < 0) {
                from = seq;
            }
            to = seq;
            advanceReplay(r);
        }
        if (!cycles.isEmpty()) {
            int rows = 0;
            for (CycleOutput o : cycles) {
                rows += o.rows().size();
            }
            replayTokens -= rows;
            publish(new Group(from, to, true), cycles);
        }
    }

    private void advanceReplay(long[] r) {
        r[0]++;
        if (r[0] > r[1]) {
            replay.pollFirst();
        }
    }

    /** The record {@code seq} from disk, or null when its segment is gone or damaged (then counted, and skipped). */
    private SegmentReader.Entry readAt(long seq) throws IOException {
        SpoolStore.Segment s = store.segmentOf(seq);
        if (s == null) {
            // dropped or moved aside since: skip to what still exists
            SpoolStore.Segment next = store.segmentAtOrAfter(seq);
            trimReplayBelow(next == null ? store.nextSeq() : next.firstSeq);
            return null;
        }
        SegmentReader.Entry e;
        if (reader == null || readerSegment != s || reader.expectedSeq() > seq) {
            closeReader();
            reader = new SegmentReader(s.path, s.bytes);
            readerSegment = s;
            e = reader.seek(seq);
        } else {
            reader.extendLimit(s.bytes);
            e = reader.seek(seq);
        }
        if (e != null && e.seq() == seq) {
            return e;
        }
        String why = reader.problem() != null ? reader.problem() : "record " + seq + " missing before byte " + reader.position();
        closeReader();
        store.moveAside(s, seq, why);
        trimReplayBelow(s.lastSeq + 1);
        return null;
    }

    private void closeReader() {
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException ignored) {
                // read-only handle
            }
        }
        reader = null;
        readerSegment = null;
    }

    private void publish(Group g, List<CycleOutput> cycles) {
        Map<TableLayout, List<DecodedRow>> rows = new LinkedHashMap<>();
        List<QualityEvent> quality = new ArrayList<>();
        List<GapEvent> gaps = new ArrayList<>();
        List<Alarm> alarms = new ArrayList<>();
        for (CycleOutput o : cycles) {
            for (DecodedRow r : o.rows()) {
                rows.computeIfAbsent(r.layout(), k -> new ArrayList<>()).add(r);
            }
            quality.addAll(o.quality());
            gaps.addAll(o.gaps());
            alarms.addAll(o.alarms());
        }
        List<Batch> batches = new ArrayList<>();
        int max = settings.batchRows();
        rows.forEach((layout, list) -> split(list, max, part -> new Batch.Rows(layout, part), batches));
        split(quality, max, Batch.Quality::new, batches);
        split(gaps, max, Batch.Gaps::new, batches);
        split(alarms, max, Batch.Alarms::new, batches);
        if (batches.isEmpty()) {
            // cycles with nothing to write (possible for gap-free empty outputs): done at once
            store.commit(g.from, g.to);
            return;
        }
        g.remaining.set(batches.size());
        outstanding.put(g.from, g);
        long n = 0;
        for (Batch b : batches) {
            owner.put(b, g);
            n += b.size();
        }
        (g.replay ? replayReadyRows : liveReadyRows).addAndGet(n);
        (g.replay ? replayReady : liveReady).addAll(batches);
        onReady.run();
    }

    /** Cuts {@code list} into batches of at most {@code max} records (views, not copies). */
    private static <T> void split(List<T> list, int max, Function<List<T>, Batch> batch, List<Batch> out) {
        for (int i = 0; i < list.size(); i += max) {
            out.add(batch.apply(list.subList(i, Math.min(list.size(), i + max))));
        }
    }

    private void enterFallback(IOException e) {
        store.closeHead();
        closeReader();
        if (!inFallback) {
            LOG.errorf("spool %s cannot be written (%s): cycles go to the memory buffer (ess.storage.buffer-rows) until it can;"
                    + " polling goes on", settings.dir(), e.toString());
        }
        inFallback = true;
        fallbackReason = e.toString();
        nextProbe = System.currentTimeMillis() + PROBE_MILLIS;
    }

    private void openStore() throws IOException {
        store.forceOnClose = settings.sync() != SyncPolicy.NEVER;
        store.open(codec);
        for (long[] r : store.unsent()) {
            replay.addLast(r);
        }
        opened = true;
    }

    private void probe() {
        try {
            java.nio.file.Files.createDirectories(settings.dir());
            if (!opened) {
                store = new SpoolStore(settings.dir(), settings.segmentBytes());
                openStore();
            }
            store.roll();
            store.sync();
            inFallback = false;
            LOG.infof("spool %s is writable again: new cycles go to disk (%d record(s) still in the memory buffer are written "
                    + "from there)", settings.dir(), fallback.size());
            fallbackReason = null;
        } catch (IOException e) {
            store.closeHead();
            nextProbe = System.currentTimeMillis() + PROBE_MILLIS;
            fallbackReason = e.toString();
        }
    }

    private void closeQuietly() {
        try {
            store.sync();
        } catch (IOException e) {
            LOG.warnf("spool: final sync failed (%s)", e.getMessage());
        }
        try {
            store.persistAcks(true);
        } catch (IOException e) {
            LOG.debugf("spool: cannot write the acknowledgement file at close (%s)", e.getMessage());
        }
        closeReader();
        store.close();
        publishStatus();
        LOG.infof("spool closed: %d unsent record(s) on disk for the next start", store.pendingRecords());
    }

    private void publishStatus() {
        long oldest = store.oldestUnsentTick();
        long replayPending = 0;
        for (long[] r : replay) {
            replayPending += r[1] - r[0] + 1;
        }
        status = new Status(settings.dir().toString(), settings.sync().name().toLowerCase(),
                settings.whenFull().name().toLowerCase().replace('_', '-'), store.totalBytes(), settings.maxBytes(),
                store.segmentCount(), store.pendingRecords(), oldest == 0 ? null : Instant.ofEpochMilli(oldest).toString(),
                oldest == 0 ? 0 : Math.max(0, (System.currentTimeMillis() - oldest) / 1000), replayPending, replayedRecords,
                windowRows, droppedCycles, droppedRows, store.corruptSegments, store.corruptRecords, store.truncatedBytes,
                inFallback, fallbackReason, fallbackCycles.get(), handoff.size(), handoffOverflows.get(), syncs,
                fallback.size());
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean isClosed() {
        return closed;
    }
}
