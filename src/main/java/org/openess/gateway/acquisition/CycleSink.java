package org.openess.gateway.acquisition;

import java.util.Collection;

import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.profile.TableLayout;

/**
 * What one device's poller publishes: its finished cycles, the tables it discovered, its state
 * changes. Called from event-loop threads of many devices at once: implementations must be
 * thread-safe, must not block, and must decide themselves what to do when full (they never push
 * back on polling).
 */
public interface CycleSink {
    void accept(CycleOutput output);

    /**
     * A device discovered tables at run time (SunSpec): called before the first cycle that has rows
     * for them, so the sink can create them before it writes those rows. Must not block.
     */
    default void tablesDiscovered(String device, Collection<TableLayout> layouts) {
    }

    /** The device's health after a cycle whose state differs from the one before, or is still bad. */
    default void stateChanged(DeviceDefinition device, DeviceHealth before, DeviceHealth after) {
    }
}
