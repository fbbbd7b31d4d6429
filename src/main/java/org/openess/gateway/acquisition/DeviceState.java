package org.openess.gateway.acquisition;

/**
 * What the last finished cycle of a device says about it. The rules (also in the README):
 * {@code ok} every read gave values; {@code degraded} the device answered but not every read gave
 * values (some reads failed, or it answered with exceptions other than the gateway's 0A/0B);
 * {@code offline} no read was answered (timeouts, no connection, or a gateway answering 0A/0B for
 * it); {@code unknown} no cycle has finished yet.
 */
public enum DeviceState {
    UNKNOWN, OK, DEGRADED, OFFLINE;

    /** The lower-case name the API, the metrics and the logs use. */
    public String label() {
        return switch (this) {
            case UNKNOWN -> "unknown";
            case OK -> "ok";
            case DEGRADED -> "degraded";
            case OFFLINE -> "offline";
        };
    }

    public boolean bad() {
        return this == DEGRADED || this == OFFLINE;
    }
}
