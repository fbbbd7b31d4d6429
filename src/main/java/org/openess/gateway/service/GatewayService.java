package org.openess.gateway.service;

import java.time.Duration;
import java.util.List;

import org.jboss.logging.Logger;
import org.openess.gateway.acquisition.Acquisition;
import org.openess.gateway.acquisition.DeviceCatalog;
import org.openess.gateway.acquisition.PipelineEvents;
import org.openess.gateway.acquisition.PipelineListener;
import org.openess.gateway.alarm.AlarmEngine;
import org.openess.gateway.config.EssConfig;
import org.openess.gateway.config.TimescaleSettings;
import org.openess.gateway.lifecycle.ServiceState;
import org.openess.gateway.metrics.GatewayMetrics;
import org.openess.gateway.status.DeviceStateLog;
import org.openess.gateway.status.LatestValues;
import org.openess.gateway.storage.SchemaException;
import org.openess.gateway.storage.Storage;
import org.openess.gateway.sunspec.SunSpecModelFolder;
import org.openess.gateway.sunspec.SunSpecProfiles;
import org.openess.gateway.sunspec.SunSpecSupport;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import jakarta.inject.Inject;

/**
 * The running gateway: builds the device catalog (profiles, SunSpec models, plans), starts storage,
 * then polling while storage applies the schema, with every cycle published to storage first and then to the operator side (latest
 * values, alarms, metrics), and stops them in the reverse order. Started by
 * {@link org.openess.gateway.cli.ServiceCommand}, never by the one-shot commands.
 */
@ApplicationScoped
public class GatewayService {
    private static final Logger LOG = Logger.getLogger(GatewayService.class);

    @Inject
    EssConfig config;
    @Inject
    ServiceState state;
    @Inject
    Storage storage;
    @Inject
    Acquisition acquisition;
    @Inject
    LatestValues latest;
    @Inject
    AlarmEngine alarms;
    @Inject
    GatewayMetrics metrics;
    @Inject
    DeviceStateLog stateLog;
    @Inject
    SunSpecModelFolder sunspecModels;

    private PipelineEvents events;
    private DeviceCatalog catalog;

    /** Loads the profiles and SunSpec models and builds the device catalog; a mistake throws, naming it. */
    public synchronized void prepare() {
        if (catalog == null) {
            TimescaleSettings.from(config.timescale());
            catalog = buildCatalog();
        }
    }

    public synchronized void start() {
        if (events != null) {
            return;
        }
        prepare();
        // the schema pass runs while the devices connect: their first rows wait for it in the buffer
        storage.start(catalog.layouts());
        List<PipelineListener> subscribers = List.of(latest, alarms, metrics, stateLog);
        events = new PipelineEvents(storage, subscribers);
        events.started(catalog);
        int connections = acquisition.start(catalog, events);
        try {
            storage.awaitSchema();
        } catch (SchemaException e) {
            // a table contradicts the database: no start, and nothing left polling
            acquisition.stop();
            events.stopping();
            events = null;
            storage.stop(Duration.ZERO);
            throw e;
        }
        state.started();
        LOG.infof("polling %d device(s) over %d connection(s), %d rows/s expected", catalog.devices().size(), connections,
                catalog.rowsPerSecond());
    }

    private DeviceCatalog buildCatalog() {
        DeviceCatalog catalog = DeviceCatalog.fromConfig(config.devices(),
                () -> new SunSpecSupport(sunspecModels.models(), config.sunspec().bases(), new SunSpecProfiles()));
        if (catalog.devices().isEmpty()) {
            throw new IllegalArgumentException("no devices configured: set ess.devices.\"<id>\".host (and port, profile); "
                    + "see docs/configuration.md");
        }
        return catalog;
    }

    /**
     * Stops polling, then gives storage {@code drain} to put what is in flight somewhere safe (the
     * spool's disk, or the database from the memory buffer).
     */
    public synchronized void stop(Duration drain) {
        if (events == null) {
            return;
        }
        state.stopping();
        LOG.infof("stopping: polling stops, then %s (at most %d ms)", storage.durable()
                ? "cycles still in flight go to the spool" : "the writer may empty the memory buffer", drain.toMillis());
        acquisition.stop();
        events.stopping();
        storage.stop(drain);
        events = null;
    }

    public boolean isRunning() {
        return state.running();
    }

    /** The devices as configured (a SunSpec device's tables as {@link Acquisition#device} says after discovery); null before start. */
    public DeviceCatalog catalog() {
        return catalog;
    }

    /**
     * SIGTERM: Quarkus fires ShutdownEvent while Vert.x and the pool still run, and only exits once
     * the observers return; {@link org.openess.gateway.cli.ServiceCommand}'s call after {@code waitForExit}
     * may come too late (stop is idempotent, so whichever comes first does the work).
     */
    void onShutdown(@Observes(notifyObserver = Reception.IF_EXISTS) ShutdownEvent event) {
        stop(config.shutdown().timeout());
    }
}
