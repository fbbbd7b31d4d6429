package org.openess.gateway.acquisition;

import java.util.Collection;
import java.util.List;

import org.jboss.logging.Logger;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.profile.TableLayout;

/**
 * Hands every event first to storage (which must see a cycle before anyone else: rows are safe
 * once it has them), then to each subscriber. A failing subscriber is logged at most every
 * {@value #ERROR_LOG_INTERVAL_MILLIS} ms and skipped for that event: an alarm-rule bug must not
 * stop polling or storing.
 */
public final class PipelineEvents implements PipelineListener {
    private static final Logger LOG = Logger.getLogger(PipelineEvents.class);
    static final long ERROR_LOG_INTERVAL_MILLIS = 10_000;

    private final PipelineListener storage;
    private final List<PipelineListener> subscribers;
    private volatile long lastErrorLogMillis;

    public PipelineEvents(PipelineListener storage, List<? extends PipelineListener> subscribers) {
        this.storage = storage;
        this.subscribers = List.copyOf(subscribers);
    }

    @Override
    public void started(DeviceCatalog catalog) {
        storage.started(catalog);
        each(s -> s.started(catalog), "start");
    }

    @Override
    public void accept(CycleOutput output) {
        storage.accept(output);
        each(s -> s.accept(output), output.device());
    }

    @Override
    public void tablesDiscovered(String device, Collection<TableLayout> layouts) {
        storage.tablesDiscovered(device, layouts);
        each(s -> s.tablesDiscovered(device, layouts), device);
    }

    @Override
    public void stateChanged(DeviceDefinition device, DeviceHealth before, DeviceHealth after) {
        storage.stateChanged(device, before, after);
        each(s -> s.stateChanged(device, before, after), device.id());
    }

    @Override
    public void stopping() {
        each(PipelineListener::stopping, "stop");
        storage.stopping();
    }

    private void each(java.util.function.Consumer<PipelineListener> call, String about) {
        for (PipelineListener s : subscribers) {
            try {
                call.accept(s);
            } catch (RuntimeException e) {
                long now = System.currentTimeMillis();
                if (now - lastErrorLogMillis > ERROR_LOG_INTERVAL_MILLIS) {
                    lastErrorLogMillis = now;
                    LOG.errorf(e, "%s failed on an event of %s", s.getClass().getSimpleName(), about);
                }
            }
        }
    }
}
