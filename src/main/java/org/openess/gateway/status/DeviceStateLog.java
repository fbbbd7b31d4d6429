package org.openess.gateway.status;

import java.util.List;

import org.openess.gateway.acquisition.Acquisition;
import org.openess.gateway.acquisition.DeviceCatalog;
import org.openess.gateway.acquisition.DeviceDefinition;
import org.openess.gateway.acquisition.DeviceHealth;
import org.openess.gateway.acquisition.PipelineListener;
import org.openess.gateway.config.EssConfig;

import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The device state log of the running gateway ({@link StateLog}): a subscriber to the pollers'
 * state changes, with the gateway's device-line budget and a timer that writes the summaries.
 */
@ApplicationScoped
public class DeviceStateLog implements PipelineListener {
    @Inject
    Acquisition acquisition;
    @Inject
    EssConfig config;
    @Inject
    Vertx vertx;

    private volatile StateLog log;
    private long timer = -1;

    @Override
    public synchronized void started(DeviceCatalog catalog) {
        List<String> ids = catalog.devices().stream().map(DeviceDefinition::id).toList();
        StateLog l = new StateLog(acquisition.logBudget(), config.modbus().logSummaryInterval(), ids, System.currentTimeMillis());
        log = l;
        timer = vertx.setPeriodic(config.modbus().logInterval().toMillis(), id -> l.flush(System.currentTimeMillis()));
    }

    @Override
    public void stateChanged(DeviceDefinition device, DeviceHealth before, DeviceHealth after) {
        StateLog l = log;
        if (l != null) {
            l.stateChanged(device.id(), before, after, System.currentTimeMillis());
        }
    }

    @Override
    public synchronized void stopping() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        StateLog l = log;
        if (l != null) {
            l.flush(System.currentTimeMillis());
        }
    }
}
