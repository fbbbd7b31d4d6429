package org.openess.gateway.decode;

import java.time.Instant;
import java.util.UUID;

/**
 * One protection-map alarm of a device: raised at {@code startMillis} (the first tick of the run
 * that outlasted the on-delay), ended at {@code endMillis} (the first tick of the run back inside
 * the limit minus the deadband that outlasted the off-delay), 0 while active. {@code bank}/{@code rack}
 * are null for rows without them. {@code value} is the triggering value at the start, {@code peak}
 * the worst value seen while active. Stored as one row of {@code ess_alarms} keyed by
 * {@code id} and {@code startMillis}: a start and its end are two versions of the same row, and
 * storing either of them again changes nothing.
 */
public record Alarm(UUID id, String device, Integer bank, Integer rack, String code, String level, String column, String unit,
        double value, Double limit, String message, long startMillis, long endMillis, double peak) {

    public boolean active() {
        return endMillis == 0;
    }

    public Alarm ended(long at, double worst) {
        return new Alarm(id, device, bank, rack, code, level, column, unit, value, limit, message, startMillis, at, worst);
    }

    public Alarm endedBecause(long at, String why) {
        return new Alarm(id, device, bank, rack, code, level, column, unit, value, limit, message + " (" + why + ")", startMillis, at,
                peak);
    }

    public Instant start() {
        return Instant.ofEpochMilli(startMillis);
    }

    public Instant end() {
        return endMillis == 0 ? null : Instant.ofEpochMilli(endMillis);
    }
}
