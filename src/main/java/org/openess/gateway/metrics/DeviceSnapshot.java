package org.openess.gateway.metrics;

import org.openess.gateway.ops.DeviceReading;
import org.openess.gateway.ops.GatewayReadings;

/** One reading of a device per scrape (a dozen meters share it) instead of one per meter. */
final class DeviceSnapshot {
    private final GatewayReadings readings;
    private final String id;
    private DeviceReading value;
    private long at;

    DeviceSnapshot(GatewayReadings readings, String id) {
        this.readings = readings;
        this.id = id;
    }

    synchronized DeviceReading get() {
        long now = System.nanoTime();
        if (value == null || now - at > 200_000_000L) {
            value = readings.device(id);
            at = now;
        }
        return value;
    }
}
