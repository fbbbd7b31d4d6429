package org.openess.gateway.ops;

import java.util.Collection;

import org.jboss.logging.Logger;
import org.openess.gateway.acquisition.CycleSink;
import org.openess.gateway.acquisition.DeviceCatalog;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.profile.TableLayout;
import org.openess.gateway.alarm.AlarmEngine;
import org.openess.gateway.metrics.GatewayMetrics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * What {@code GatewayService} calls so the operator surfaces see the data path: every cycle goes
 * to the writer first, then to the latest-values view and the alarm rules (both cheap, on the
 * poller's own event loop, never blocking); {@link #started} binds the metrics and starts the
 * alarm store once the devices are known. Only the service calls these, so the one-shot
 * {@code archive} and {@code simulate} commands never build the metrics or the alarm beans.
 */
@ApplicationScoped
public class OperatorHooks {
    private static final Logger LOG = Logger.getLogger(OperatorHooks.class);

    @Inject
    LatestCycles latest;
    @Inject
    AlarmEngine alarms;
    @Inject
    GatewayMetrics metrics;

    private volatile long lastErrorLogMillis;

    /** {@code writer} first, then the operator views; every other call goes to {@code writer} unchanged. */
    public CycleSink around(CycleSink writer) {
        return new CycleSink() {
            @Override
            public void accept(CycleOutput output) {
                writer.accept(output);
                try {
                    latest.accept(output);
                    alarms.accept(output);
                } catch (RuntimeException e) {
                    // the rows are already with the writer; an alarm-rule bug must not stop polling
                    long now = System.currentTimeMillis();
                    if (now - lastErrorLogMillis > 10_000) {
                        lastErrorLogMillis = now;
                        LOG.errorf(e, "alarm evaluation failed for %s", output.site());
                    }
                }
            }

            @Override
            public void tablesDiscovered(String device, Collection<TableLayout> layouts) {
                writer.tablesDiscovered(device, layouts);
                // the writer has made them known: their ess_rows_* series start now, not at the next restart
                metrics.tablesDiscovered();
            }
        };
    }

    public void started(DeviceCatalog catalog) {
        alarms.start(catalog);
        metrics.serviceStarted();
    }

    public void stopping() {
        alarms.stop();
    }
}
