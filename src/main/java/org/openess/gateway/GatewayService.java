package org.openess.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;
import org.openess.gateway.acquisition.DeviceCatalog;
import org.openess.gateway.acquisition.DeviceDefinition;
import org.openess.gateway.acquisition.DevicePoller;
import org.openess.gateway.acquisition.CycleSink;
import org.openess.gateway.acquisition.DeviceStats;
import org.openess.gateway.acquisition.EndpointPoller;
import org.openess.gateway.config.EssConfig;
import org.openess.gateway.retry.Backoff;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.ops.OperatorHooks;
import org.openess.gateway.profile.TableLayout;
import org.openess.gateway.simulator.SimulatorServer;
import org.openess.gateway.simulator.Simulators;
import org.openess.gateway.storage.Database;
import org.openess.gateway.storage.MemoryRowBuffer;
import org.openess.gateway.storage.RowBuffer;
import org.openess.gateway.storage.RowWriter;
import org.openess.gateway.storage.SchemaException;
import org.openess.gateway.storage.SchemaManager;
import org.openess.gateway.storage.spool.SpoolRowBuffer;
import org.openess.gateway.storage.spool.SpoolSettings;
import org.openess.gateway.sunspec.SunSpecModelFolder;
import org.openess.gateway.sunspec.SunSpecProfiles;
import org.openess.gateway.sunspec.SunSpecSupport;

import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import jakarta.inject.Inject;

/**
 * The running gateway: wires the stages together in data-path order (profiles and plans →
 * pollers → decoder → writer → database) and owns their lifecycle. Started by {@link org.openess.gateway.cli.ServiceCommand}
 * when the service runs (not for the one-shot commands).
 */
@ApplicationScoped
public class GatewayService {
    private static final Logger LOG = Logger.getLogger(GatewayService.class);
    private static final Duration SCHEMA_RETRY = Duration.ofSeconds(5);

    @Inject
    Vertx vertx;
    @Inject
    EssConfig config;
    @Inject
    Database database;
    @Inject
    OperatorHooks hooks;
    @Inject
    SunSpecModelFolder sunspecModels;

    private volatile boolean running;
    private DeviceCatalog catalog;
    private RowWriter writer;
    private SchemaManager schema;
    private SimulatorServer simulator;
    private final List<String> deployments = new ArrayList<>();
    private final Map<String, DevicePoller> pollers = new ConcurrentHashMap<>();
    /** The catalog's layouts plus those SunSpec devices discovered since (each table created once). */
    private final List<TableLayout> layouts = new CopyOnWriteArrayList<>();
    /** Bumped per run-time table registration; only the newest schema run may release the writer. */
    private final AtomicLong schemaGeneration = new AtomicLong();

    public synchronized void start() {
        if (running) {
            return;
        }
        if (config.simulator().enabled()) {
            EssConfig.Simulator s = config.simulator();
            simulator = Simulators.create(vertx, s.profile(), s.devices(), s.host(), s.basePort(), s.glitchEvery(),
                    sunspecModels.models());
            simulator.setExcursionEvery(s.excursionEvery());
            await(simulator.start(), "start the simulator");
        }
        SunSpecSupport sunspec = new SunSpecSupport(sunspecModels.models(), config.sunspec().bases(), new SunSpecProfiles());
        catalog = DeviceCatalog.fromConfig(config.devices(), sunspec);
        if (catalog.devices().isEmpty()) {
            throw new IllegalArgumentException("no devices configured: set ess.devices.\"<id>\".host (and port, profile); "
                    + "see README 'Configuration'");
        }
        EssConfig.Storage st = config.storage();
        writer = new RowWriter(vertx, database.pool(), buffer(st), catalog.layouts(), st.batchRows(),
                st.maxInFlight(), st.flushInterval().toMillis(), new Backoff(st.retryMin(), st.retryMax()));
        writer.start();
        schema = new SchemaManager(st.timescaledb(), st.chunkInterval());
        layouts.addAll(catalog.layouts());
        applySchema(true, schemaGeneration.get());
        EssConfig.Modbus m = config.modbus();
        Backoff reconnect = new Backoff(m.reconnectMin(), m.reconnectMax());
        CycleSink sink = hooks.around(new CycleSink() {
            @Override
            public void accept(CycleOutput output) {
                writer.accept(output);
            }

            @Override
            public void tablesDiscovered(String device, Collection<TableLayout> discovered) {
                registerTables(device, discovered);
            }
        });
        // units behind one Modbus TCP gateway (same host and port) share one connection and context
        Map<String, List<DevicePoller>> byEndpoint = new LinkedHashMap<>();
        for (DeviceDefinition device : catalog.devices()) {
            DevicePoller poller = new DevicePoller(device, sink, new DeviceStats(), m.busyRetryDelay(), m.logSummaryInterval());
            byEndpoint.computeIfAbsent(device.endpoint(), k -> new ArrayList<>()).add(poller);
            pollers.put(device.id(), poller);
        }
        for (List<DevicePoller> group : byEndpoint.values()) {
            DeviceDefinition first = group.get(0).device();
            EndpointPoller endpoint = new EndpointPoller(first.host(), first.port(), group, reconnect, m.reopenAfterTimeouts());
            deployments.add(await(vertx.deployVerticle(endpoint), "start polling " + first.endpoint()));
        }
        running = true;
        hooks.started(catalog);
        LOG.infof("polling %d device(s) over %d connection(s), %d rows/s expected", catalog.devices().size(), byEndpoint.size(),
                catalog.rowsPerSecond());
    }

    /** The spool when ess.spool.dir is set, else the memory buffer as before (and the log says which). */
    private RowBuffer buffer(EssConfig.Storage st) {
        MemoryRowBuffer memory = new MemoryRowBuffer(st.bufferRows());
        EssConfig.Spool sp = config.spool();
        if (sp.dir().isEmpty() || sp.dir().get().isBlank()) {
            LOG.infof("ess.spool.dir not set: rows wait for the database in memory only (ess.storage.buffer-rows=%d records);"
                    + " a restart, crash or power cut loses them. Set ess.spool.dir to keep them on disk.", st.bufferRows());
            return memory;
        }
        SpoolRowBuffer.Settings settings = SpoolSettings.from(sp, st);
        try {
            return new SpoolRowBuffer(settings, catalog.layouts(), memory);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot open the spool folder ess.spool.dir=" + sp.dir().get() + ": " + e, e);
        }
    }

    /**
     * Tables a SunSpec device discovered at run time: the writer holds its writes (rows stay
     * buffered) until they exist. Runs on the device's event loop, so the schema work is only
     * started here, never waited for.
     */
    private void registerTables(String device, Collection<TableLayout> discovered) {
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
        applySchema(false, generation);
    }

    private void schemaApplied(long generation) {
        if (generation == schemaGeneration.get()) {
            writer.schemaReady();
        }
    }

    private void applySchema(boolean startup, long generation) {
        if (generation != schemaGeneration.get()) {
            return; // a newer registration runs its own (complete) schema pass
        }
        Future<Void> f = schema.apply(database.pool(), List.copyOf(layouts));
        if (startup) {
            try {
                f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                schemaApplied(generation);
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof SchemaException se) {
                    throw se;
                }
                LOG.warnf("database not ready (%s); buffering rows and retrying every %ds", e.getCause().getMessage(),
                        SCHEMA_RETRY.toSeconds());
            } catch (Exception e) {
                LOG.warnf("database not ready (%s); buffering rows and retrying", e.toString());
            }
            vertx.setTimer(SCHEMA_RETRY.toMillis(), id -> applySchema(false, generation));
            return;
        }
        f.onSuccess(v -> schemaApplied(generation)).onFailure(e -> {
            if (e instanceof SchemaException) {
                // a discovered table clashes with an existing one: its rows will be rejected and
                // counted; holding every other table's rows for it would lose them all
                LOG.errorf("schema: %s", e.getMessage());
                schemaApplied(generation);
                return;
            }
            LOG.warnf("schema still not applied: %s", e.getMessage());
            vertx.setTimer(SCHEMA_RETRY.toMillis(), id -> applySchema(false, generation));
        });
    }

    /**
     * Stops polling, then within {@code drain}: with a spool, writes what is still in the hand-off
     * queue to disk and forces it (the database is not waited for: the next start sends it); in
     * memory, gives the writer that long to empty the buffer.
     */
    public synchronized void stop(Duration drain) {
        if (!running) {
            return;
        }
        running = false;
        hooks.stopping();
        long deadline = System.nanoTime() + drain.toNanos();
        LOG.infof("stopping: polling stops, then %s (at most %d ms)", writer.buffer().durable()
                ? "cycles still in flight go to the spool" : "the writer may empty the memory buffer", drain.toMillis());
        for (String id : deployments) {
            await(vertx.undeploy(id), "stop a poller");
        }
        deployments.clear();
        if (writer.buffer().durable()) {
            // a cycle whose reads were cut by the undeploy still finishes and is offered: let it arrive
            sleep(100);
            writer.buffer().close(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        } else {
            while (writer.isSchemaReady() && writer.buffer().size() > 0 && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (writer.buffer().size() > 0) {
                LOG.warnf("stopping with %d record(s) not written", writer.buffer().size());
            }
        }
        await(writer.stop(), "stop the writer");
        if (simulator != null) {
            await(simulator.stop(), "stop the simulator");
        }
    }

    /**
     * SIGTERM: Quarkus fires ShutdownEvent while Vert.x and the pool still run, and only exits once
     * the observers return; {@link org.openess.gateway.cli.ServiceCommand}'s call after {@code waitForExit}
     * may come too late (stop is idempotent, so whichever comes first does the work).
     */
    void onShutdown(@Observes(notifyObserver = Reception.IF_EXISTS) ShutdownEvent event) {
        stop(config.shutdown().timeout());
    }

    public boolean isRunning() {
        return running;
    }

    public DeviceCatalog catalog() {
        return catalog;
    }

    public RowWriter writer() {
        return writer;
    }

    public SchemaManager schema() {
        return schema;
    }

    public Map<String, DevicePoller> pollers() {
        return pollers;
    }

    public SimulatorServer simulator() {
        return simulator;
    }

    private static <T> T await(Future<T> future, String what) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("cannot " + what + ": " + cause.getMessage(), cause);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
