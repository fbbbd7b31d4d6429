package org.openess.gateway.storage;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.Logger;
import org.openess.gateway.storage.buffer.BufferCounters;
import org.openess.gateway.storage.buffer.BufferCapacity;
import org.openess.gateway.storage.buffer.MemoryRowBuffer;
import org.openess.gateway.storage.buffer.RowBuffer;
import org.openess.gateway.storage.buffer.TableCounters;
import org.openess.gateway.acquisition.PipelineListener;
import org.openess.gateway.config.EssConfig;
import org.openess.gateway.config.TimescaleSettings;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.lifecycle.Await;
import org.openess.gateway.profile.TableLayout;
import org.openess.gateway.retry.Backoff;
import org.openess.gateway.storage.spool.SpoolRowBuffer;
import org.openess.gateway.storage.spool.SpoolSettings;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The storage stage as the service runs it: the write buffer (the spool when {@code ess.spool.dir}
 * is set, else memory), the {@link RowWriter} and the {@link SchemaManager}. Takes every cycle
 * first ({@link #accept}), creates tables discovered at run time before their rows are written,
 * and reports its numbers ({@link #status()}). Until the schema is in place rows are only buffered;
 * the schema is retried every {@value #SCHEMA_RETRY_SECONDS} s while the database is unreachable.
 */
@ApplicationScoped
public class Storage implements PipelineListener {
    private static final Logger LOG = Logger.getLogger(Storage.class);
    static final long SCHEMA_RETRY_SECONDS = 5;

    @Inject
    Vertx vertx;
    @Inject
    EssConfig config;
    @Inject
    Database database;

    /** The writer of the last start; kept after a stop, so what it counted stays readable. */
    private volatile RowWriter writer;
    private volatile boolean started;
    private volatile SchemaManager schema;
    /** The schema pass {@link #start} began, until {@link #awaitSchema} has seen how it ended. */
    private volatile Future<Void> startupSchema;
    private volatile long startupGeneration;
    /** The configured layouts plus those SunSpec devices discovered since (each table created once). */
    private final List<TableLayout> layouts = new CopyOnWriteArrayList<>();
    /** The Apache edition's rollup refresher of this start; null without one. */
    private final AtomicReference<RollupRefresher> refresher = new AtomicReference<>();
    /** Bumped per run-time table registration; only the newest schema run may release the writer. */
    private final AtomicLong schemaGeneration = new AtomicLong();

    /**
     * Opens the buffer and starts the writer, then begins the schema pass without waiting for it:
     * rows offered meanwhile wait in the buffer, so polling may start at once, and
     * {@link #awaitSchema()} says how the pass ended.
     */
    public synchronized void start(List<TableLayout> configured) {
        if (started) {
            return;
        }
        started = true;
        EssConfig.Storage st = config.storage();
        layouts.clear();
        layouts.addAll(configured);
        RowWriter w = new RowWriter(vertx, database.pool(), buffer(st, configured), configured, st.batchRows(), st.maxInFlight(),
                st.flushInterval().toMillis(), new Backoff(st.retryMin(), st.retryMax()));
        w.start();
        writer = w;
        schema = new SchemaManager(st.timescaledb(), st.chunkInterval(), TimescaleSettings.from(config.timescale()));
        long generation = schemaGeneration.get();
        startupGeneration = generation;
        startupSchema = schema.apply(database.pool(), List.copyOf(layouts), () -> tablesReady(generation))
                .onSuccess(v -> schemaApplied(generation));
    }

    /**
     * Waits up to 30 s for the schema pass that {@link #start} began: a table that contradicts the
     * database ({@link SchemaException}) is thrown, to stop the start; an unreachable database is
     * not (rows stay buffered and the schema is retried every {@value #SCHEMA_RETRY_SECONDS} s).
     */
    public void awaitSchema() {
        Future<Void> f = startupSchema;
        if (f == null) {
            return;
        }
        startupSchema = null;
        long generation = startupGeneration;
        try {
            f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            return;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SchemaException se) {
                throw se;
            }
            LOG.warnf("database not ready (%s); buffering rows and retrying every %ds", e.getCause().getMessage(),
                    SCHEMA_RETRY_SECONDS);
        } catch (Exception e) {
            LOG.warnf("database not ready (%s); buffering rows and retrying", e.toString());
        }
        vertx.setTimer(TimeUnit.SECONDS.toMillis(SCHEMA_RETRY_SECONDS), id -> applySchema(generation));
    }

    /** The spool when ess.spool.dir is set, else the memory buffer (and the log says which). */
    private RowBuffer buffer(EssConfig.Storage st, List<TableLayout> configured) {
        BufferCapacity capacity = BufferCapacity.of(st.bufferRows(), configured, Runtime.getRuntime().maxMemory());
        if (capacity.capped()) {
            LOG.infof("ess.storage.buffer-rows=%d records of up to ~%d bytes would not fit in %d %% of the %d MiB heap: the memory"
                    + " buffer holds %d; raise -Xmx (docs/deployment.md, JVM flags) or set ess.spool.dir", st.bufferRows(),
                    capacity.bytesPerRecord(), BufferCapacity.HEAP_PERCENT, capacity.maxHeapBytes() >> 20, capacity.rows());
        }
        MemoryRowBuffer memory = new MemoryRowBuffer(capacity);
        EssConfig.Spool sp = config.spool();
        if (sp.dir().isEmpty() || sp.dir().get().isBlank()) {
            LOG.infof("ess.spool.dir not set: rows wait for the database in memory only (%s records);"
                    + " a restart, crash or power cut loses them. Set ess.spool.dir to keep them on disk.", capacity.describe());
            return memory;
        }
        try {
            return new SpoolRowBuffer(SpoolSettings.from(sp, st), configured, memory);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the spool folder ess.spool.dir=" + sp.dir().get() + ": " + e, e);
        }
    }

    /** Cycles arriving before the first start find no writer and are not kept. */
    @Override
    public void accept(CycleOutput output) {
        RowWriter w = writer;
        if (w != null) {
            w.accept(output);
        }
    }

    /**
     * Tables a SunSpec device discovered at run time: the writer holds its writes (rows stay
     * buffered) until they exist. Runs on the device's event loop, so the schema work is only
     * started here, never waited for.
     */
    @Override
    public void tablesDiscovered(String device, Collection<TableLayout> discovered) {
        List<TableLayout> fresh = new ArrayList<>();
        synchronized (layouts) {
            for (TableLayout l : discovered) {
                if (!layouts.contains(l)) {
                    layouts.add(l);
                    fresh.add(l);
                }
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        LOG.infof("device %s: creating table(s) %s", device, fresh.stream().map(TableLayout::table).toList());
        long generation = schemaGeneration.incrementAndGet();
        writer.tablesKnown(fresh);
        writer.schemaPending();
        applySchema(generation);
    }

    /** The tables are committed: the writer may write (rollups and compression may still be on their way). */
    private void tablesReady(long generation) {
        if (generation == schemaGeneration.get()) {
            writer.schemaReady();
        }
    }

    /** The whole pass is done: the rollups it made are known, so their refresher can start. */
    private void schemaApplied(long generation) {
        TimescaleFeatures f = features();
        if (f != null && !f.maintained().isEmpty() && refresher.get() == null) {
            RollupRefresher r = new RollupRefresher(database.pool(), f);
            if (refresher.compareAndSet(null, r)) {
                r.start(vertx);
            }
        }
        if (generation == schemaGeneration.get()) {
            writer.schemaReady();
        }
    }

    /** The Apache edition's rollup refresher while storage runs; null on other servers or with rollups off. */
    public RollupRefresher rollupRefresher() {
        return refresher.get();
    }

    private void applySchema(long generation) {
        if (generation != schemaGeneration.get() || !started) {
            return; // a newer registration runs its own (complete) schema pass, or storage stopped
        }
        Future<Void> f = schema.apply(database.pool(), List.copyOf(layouts), () -> tablesReady(generation));
        f.onSuccess(v -> schemaApplied(generation)).onFailure(e -> {
            if (e instanceof SchemaException) {
                // a discovered table clashes with an existing one: its rows will be rejected and
                // counted; holding every other table's rows for it would lose them all
                LOG.errorf("schema: %s", e.getMessage());
                schemaApplied(generation);
                return;
            }
            LOG.warnf("schema still not applied: %s", e.getMessage());
            vertx.setTimer(TimeUnit.SECONDS.toMillis(SCHEMA_RETRY_SECONDS), id -> applySchema(generation));
        });
    }

    /** The writer of the last start (stopped after {@link #stop}); null before the first start. */
    public RowWriter writer() {
        return writer;
    }

    /** Whether the last schema pass found TimescaleDB (the tables are hypertables). */
    public boolean hypertables() {
        SchemaManager s = schema;
        return s != null && s.hypertables();
    }

    /** Compression and rollups as the last schema pass found them; null before the first start. */
    public TimescaleFeatures features() {
        SchemaManager s = schema;
        return s == null ? null : s.features();
    }

    /** True when what the buffer holds survives a restart (a spool). */
    public boolean durable() {
        RowWriter w = writer;
        return w != null && w.buffer().durable();
    }

    /**
     * Polling has stopped; within {@code drain}: with a spool, writes what is still in the hand-off
     * queue to disk and forces it (the database is not waited for: the next start sends it); in
     * memory, gives the writer that long to empty the buffer.
     */
    public synchronized void stop(Duration drain) {
        RowWriter w = writer;
        if (!started) {
            return;
        }
        started = false;
        RollupRefresher r = refresher.getAndSet(null);
        if (r != null) {
            r.stop();
        }
        long deadline = System.nanoTime() + drain.toNanos();
        RowBuffer buffer = w.buffer();
        if (buffer.durable()) {
            // a cycle whose reads were cut by the undeploy still finishes and is offered: let it arrive
            sleep(100);
            buffer.close(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        } else {
            while (w.isSchemaReady() && buffer.size() > 0 && System.nanoTime() < deadline) {
                sleep(20);
            }
            if (buffer.size() > 0) {
                LOG.warnf("stopping with %d record(s) not written", buffer.size());
            }
        }
        try {
            Await.result(w.stop(), "stop the writer");
        } catch (IllegalStateException e) {
            LOG.warnf("the writer did not stop cleanly: %s", e.getMessage());
        }
    }

    /** Null before the service started storage. */
    public WriterStatus status() {
        RowWriter w = writer;
        if (w == null) {
            return null;
        }
        RowWriter.WriterStats s = w.stats();
        RowBuffer buffer = w.buffer();
        BufferCounters c = buffer.counters();
        long accepted = c.rowsAccepted();
        long cycles = c.cyclesDropped();
        List<TableCounters> dropped = new ArrayList<>(2);
        dropped.add(c.droppedByTable());
        SpoolRowBuffer spool = buffer instanceof SpoolRowBuffer b ? b : null;
        if (spool != null) {
            BufferCounters f = spool.fallbackCounters();
            accepted += f.rowsAccepted();
            cycles += f.cyclesDropped();
            dropped.add(f.droppedByTable());
        }
        Map<String, WriterStatus.TableCounts> perTable = new TreeMap<>();
        Set<String> tables = new TreeSet<>(s.writtenByTable().view().keySet());
        tables.addAll(s.rejectedByTable().view().keySet());
        dropped.forEach(d -> tables.addAll(d.view().keySet()));
        for (String t : tables) {
            long d = 0;
            for (TableCounters tc : dropped) {
                d += tc.get(t);
            }
            perTable.put(t, new WriterStatus.TableCounts(s.writtenByTable().get(t), s.duplicateByTable().get(t), d,
                    s.rejectedByTable().get(t)));
        }
        WriterStatus.Builder b = WriterStatus.builder().schema(w.isSchemaReady(), hypertables())
                .accepted(accepted, cycles).tables(perTable).statements(s.statements(), s.failedStatements(), s.lastError())
                .latency(WriterStatus.Latency.of(s.tickToCommit()), WriterStatus.Latency.of(s.replayTickToCommit()));
        return (spool != null ? b.spool(buffer.size(), buffer.capacity(), spool.status()) : b.memory(buffer.size(), buffer.capacity()))
                .build();
    }

    /** Restarts the tick-to-commit histograms (benchmarks exclude their warm-up); false before start. */
    public boolean resetLatency() {
        RowWriter w = writer;
        if (w != null) {
            w.stats().tickToCommit().reset();
            w.stats().replayTickToCommit().reset();
        }
        return w != null;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
