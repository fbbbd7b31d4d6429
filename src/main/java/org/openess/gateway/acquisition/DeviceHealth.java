package org.openess.gateway.acquisition;

import org.openess.gateway.modbus.ModbusReadException;

/**
 * An immutable snapshot of one device's health, published by its poller after every cycle and
 * read by the status API, the metrics and the page (any thread).
 *
 * @param state see {@link DeviceState} for the rules
 * @param sinceMillis when the device entered {@code state} (epoch ms; for {@code connecting}, when polling started)
 * @param lastSuccessfulReadMillis the tick of the last cycle in which at least one read gave
 *        values (epoch ms; 0: never)
 * @param consecutiveFailedCycles cycles in a row with at least one failed read (0 when ok)
 * @param lastErrorKind kind of the first failed read of the latest cycle that had one; null: none
 *        yet. Kept after a recovery, so the page can say what the device last suffered from.
 * @param lastExceptionCode the Modbus exception code of that failure, 0 when it was not an
 *        exception response
 * @param lastError its message
 * @param lastErrorRead the read that failed so ({@code fc4 200+125}); null: none yet
 * @param lastErrorMillis the tick of that cycle (epoch ms; 0: never)
 * @param connected whether the device's Modbus TCP connection is up (shared by every unit of a gateway)
 */
public record DeviceHealth(DeviceState state, long sinceMillis, long lastSuccessfulReadMillis, long consecutiveFailedCycles,
        ModbusReadException.Kind lastErrorKind, int lastExceptionCode, String lastError, String lastErrorRead, long lastErrorMillis,
        boolean connected) {

    /** A device that has not finished a cycle yet, polled since {@code sinceMillis}. */
    public static DeviceHealth connecting(long sinceMillis) {
        return new DeviceHealth(DeviceState.CONNECTING, sinceMillis, 0, 0, null, 0, null, null, 0, false);
    }

    /** The lower-case kind name used by the API and the metrics ({@code timeout}, {@code exception-response}, …); null: none. */
    public String lastErrorKindLabel() {
        return lastErrorKind == null ? null : kindLabel(lastErrorKind);
    }

    public static String kindLabel(ModbusReadException.Kind kind) {
        return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
