package org.openess.gateway.ops;

/** How a device answers, as the API, the metrics, the health check and the page show it. */
public enum DeviceState {
    /** The last cycle read everything. */
    OK,
    /** Connected, but reads of the last cycle failed. */
    DEGRADED,
    /** No connection (never connected, refused, or dropped and reconnecting). */
    OFFLINE;

    public String label() {
        return name().toLowerCase();
    }

    /** The value of the ess_device_state gauge. */
    public int code() {
        return ordinal();
    }
}
