package org.openess.gateway.acquisition;

import org.openess.gateway.decode.CycleOutput;

/**
 * Where a finished cycle goes (the storage writer). Called from event-loop threads of many
 * devices at once: implementations must be thread-safe, must not block, and must decide
 * themselves what to do when full (they never push back on polling).
 */
public interface CycleSink {
    void accept(CycleOutput output);
}
