package org.openess.gateway.ops;

/** How a device answers (acquisition's DeviceState), as the API, the metrics, the health check and the page show it. */
public enum DeviceState {
    /** The last cycle read everything. */
    OK,
    /** The device answered, but not every read of the last cycle gave values. */
    DEGRADED,
    /** No read was answered (timeouts, no connection, a gateway answering 0A/0B for it). */
    OFFLINE,
    /** No cycle has finished yet. */
    UNKNOWN;

    public String label() {
        return name().toLowerCase();
    }

    /** The value of the ess_device_state gauge. */
    public int code() {
        return ordinal();
    }
}
