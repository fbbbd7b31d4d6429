package org.openess.gateway.ops;

import java.util.Map;

import org.openess.gateway.acquisition.DeviceDefinition;
import org.openess.gateway.acquisition.DeviceHealth;
import org.openess.gateway.acquisition.DeviceState;

/**
 * One device's numbers at one moment. {@code lastSuccessMillis} is null until a read succeeded;
 * {@code lastErrorKind} is null while the device has no error. {@code health} is acquisition's
 * whole health record (since, last exception code, last error time), for {@code /api/status}.
 */
public record DeviceReading(DeviceDefinition device, DeviceState state, boolean connected, long lastTickMillis,
        Long lastSuccessMillis, Long consecutiveFailures, String lastErrorKind, String lastError, long lastCycleMicros, long ticks,
        long cyclesComplete, long cyclesPartial, long ticksMissed, long readsOk, long readsFailed,
        Map<FailureKey, Long> readsFailedBy, long rows, long gapRows, long valuesOutOfRange, DeviceHealth health,
        long readsSkipped, long busyRetries) {

    /** What kind of failure, and the Modbus exception code for exception responses ("" otherwise). */
    public record FailureKey(String kind, String exceptionCode) {
    }

    public String id() {
        return device.id();
    }
}
