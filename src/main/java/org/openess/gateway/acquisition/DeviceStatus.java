package org.openess.gateway.acquisition;

import org.openess.gateway.sunspec.SunSpecSession;

/**
 * One device as the operator side sees it: its definition (as polled now: a SunSpec device's
 * after discovery), its health, its counters (live, only going up) and, for a SunSpec device, its
 * discovery state (null otherwise).
 */
public record DeviceStatus(DeviceDefinition device, DeviceHealth health, DeviceStats counters, SunSpecSession.Status sunspec) {

    public String id() {
        return device.id();
    }

    public DeviceState state() {
        return health.state();
    }
}
