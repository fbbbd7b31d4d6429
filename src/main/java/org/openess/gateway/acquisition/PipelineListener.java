package org.openess.gateway.acquisition;

import org.openess.gateway.decode.CycleOutput;

/**
 * A subscriber to what the data path does: the service starting with its devices, every decoded
 * cycle (after storage has taken it), tables discovered at run time, device state changes, the
 * service stopping. Subscribers are the operator side (latest values, alarms, metrics): CDI beans
 * implementing this interface, called in the order the service lists them, each on the thread of
 * the event (a poller's event loop for cycles), so they must be cheap and must not block. A
 * subscriber that throws is logged and does not stop the others or polling.
 */
public interface PipelineListener extends CycleSink {
    /** Polling is about to start for these devices. */
    default void started(DeviceCatalog catalog) {
    }

    @Override
    default void accept(CycleOutput output) {
    }

    /** Polling has stopped; storage is being drained. */
    default void stopping() {
    }
}
