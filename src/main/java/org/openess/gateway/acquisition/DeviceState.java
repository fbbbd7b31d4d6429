package org.openess.gateway.acquisition;

/**
 * What the last finished cycle of a device says about it. The rules (also in docs/operations.md):
 * {@code ok} every read gave values; {@code degraded} the device answered but not every read gave
 * values (some reads failed, or it answered with exceptions other than the gateway's 0A/0B);
 * {@code offline} no read was answered (timeouts, no connection, or a gateway answering 0A/0B for
 * it); {@code connecting} from start-up until its first cycle: waiting for its start offset or a
 * connect permit, or its first connect attempt has not ended yet (a start is not a failure).
 * <p>
 * Declared in gauge-code order: the health check lists its per-state counts in this order.
 */
public enum DeviceState {
    OK, DEGRADED, OFFLINE, CONNECTING;

    /** The lower-case name the API, the metrics and the logs use. */
    public String label() {
        return switch (this) {
            case CONNECTING -> "connecting";
            case OK -> "ok";
            case DEGRADED -> "degraded";
            case OFFLINE -> "offline";
        };
    }

    /** The value of the ess_device_state gauge (an API: fixed here, not taken from the declaration order). */
    public int code() {
        return switch (this) {
            case OK -> 0;
            case DEGRADED -> 1;
            case OFFLINE -> 2;
            case CONNECTING -> 3;
        };
    }

    public boolean bad() {
        return this == DEGRADED || this == OFFLINE;
    }
}
