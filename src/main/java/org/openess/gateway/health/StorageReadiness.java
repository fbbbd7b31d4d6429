package org.openess.gateway.health;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.openess.gateway.acquisition.DeviceState;
import org.openess.gateway.acquisition.Acquisition;
import org.openess.gateway.acquisition.DeviceStatus;
import org.openess.gateway.lifecycle.ServiceState;
import org.openess.gateway.storage.Storage;
import org.openess.gateway.storage.WriterStatus;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Readiness: can collected rows reach durable storage? The rules (docs/operations.md "Health"):
 * <ul>
 * <li>gateway not started → DOWN;</li>
 * <li>tables in place and the last write succeeded → UP, storage "database";</li>
 * <li>database failing but a spool takes the rows → UP, storage "spool", status "degraded";</li>
 * <li>database failing or not yet set up, rows only in the memory buffer → DOWN, storage "memory";</li>
 * <li>write buffer full (rows being dropped) → DOWN.</li>
 * </ul>
 * Device states are data, not a reason for DOWN: an unreachable device is the site's problem, and
 * taking the gateway out of service would also hide its API. Per-device entries list every device
 * up to {@value #LIST_ALL_UP_TO} devices, beyond that only those not ok (at most {@value #LIST_AT_MOST}).
 */
@Readiness
@ApplicationScoped
public class StorageReadiness implements HealthCheck {
    static final int LIST_ALL_UP_TO = 50;
    static final int LIST_AT_MOST = 100;

    @Inject
    ServiceState service;
    @Inject
    Acquisition acquisition;
    @Inject
    Storage storage;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("storage");
        WriterStatus w = service.running() ? storage.status() : null;
        if (w == null) {
            return b.down().withData("status", "not started").build();
        }
        boolean dbOk = w.schemaReady() && w.lastError() == null;
        boolean spool = w.spoolRecords() >= 0;
        boolean full = w.bufferRecords() >= w.bufferCapacity();
        String status;
        if (full && !spool) {
            b.down();
            status = "buffer full: new rows are dropped";
        } else if (dbOk) {
            b.up();
            status = "ok";
        } else if (spool) {
            b.up();
            status = "degraded";
        } else {
            b.down();
            status = w.schemaReady() ? "database writes failing" : "database not set up yet";
        }
        b.withData("status", status);
        b.withData("storage", dbOk ? "database" : spool ? "spool" : "memory");
        b.withData("bufferRecords", w.bufferRecords());
        b.withData("bufferCapacity", w.bufferCapacity());
        if (spool) {
            b.withData("spoolRecords", w.spoolRecords());
        }
        if (w.lastError() != null) {
            b.withData("lastError", w.lastError());
        }
        List<DeviceStatus> devices = acquisition.devices();
        Map<DeviceState, Integer> counts = new EnumMap<>(DeviceState.class);
        for (DeviceState s : DeviceState.values()) {
            counts.put(s, 0);
        }
        int listed = 0;
        for (DeviceStatus d : devices) {
            counts.merge(d.state(), 1, Integer::sum);
            boolean list = devices.size() <= LIST_ALL_UP_TO || d.state() != DeviceState.OK;
            if (list && listed < LIST_AT_MOST) {
                b.withData("device." + d.id(), d.state().label());
                listed++;
            }
        }
        counts.forEach((s, n) -> b.withData("devices." + s.label(), n));
        return b.build();
    }
}
