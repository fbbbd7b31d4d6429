package org.openess.gateway.health;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.openess.gateway.acquisition.Acquisition;
import org.openess.gateway.acquisition.BusStatus;
import org.openess.gateway.acquisition.DeviceStatus;
import org.openess.gateway.lifecycle.ServiceState;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Liveness: DOWN only when restarting the process would help, i.e. the polling timers stopped
 * (no device finished a cycle for {@value #STALL_PERIODS} poll periods, at least 30 s; a cycle
 * finishes even when every read fails, so an unreachable device does not count). Before the
 * gateway runs (start-up, one-shot commands) it is UP. An RTU bus whose devices cannot all be read
 * within the poll interval is named in the data ({@code bus <name>}) and stays UP.
 */
@Liveness
@ApplicationScoped
public class PollingLiveness implements HealthCheck {
    static final int STALL_PERIODS = 10;

    @Inject
    ServiceState service;
    @Inject
    Acquisition acquisition;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("polling").up();
        if (!service.running()) {
            return b.withData("running", false).build();
        }
        long now = System.currentTimeMillis();
        long newest = 0;
        long allowed = 30_000;
        for (DeviceStatus d : acquisition.devices()) {
            newest = Math.max(newest, d.counters().lastTickMillis());
            allowed = Math.max(allowed, STALL_PERIODS * d.device().pollInterval().toMillis());
        }
        b.withData("running", true);
        // a bus that cannot read its devices every cycle is reported, not DOWN: a restart would not help
        for (BusStatus bus : acquisition.buses()) {
            if (bus.overBudget()) {
                b.withData("bus " + bus.name(), String.format(java.util.Locale.ROOT,
                        "over budget: %.0f ms of bus time per cycle, poll interval %d ms", bus.busTimePerCycleMillis(),
                        bus.pollIntervalMillis()));
            }
        }
        if (newest == 0) {
            return b.withData("lastCycle", "none yet").build();
        }
        long age = now - newest;
        b.withData("lastCycleAgeMs", age);
        if (age > allowed) {
            b.down().withData("reason", "no device finished a poll cycle for " + age / 1000 + " s");
        }
        return b.build();
    }
}
