package org.openess.gateway.storage.spool;

import org.openess.gateway.decode.CycleOutput;

/** A cycle on disk as record {@code seq} and still in memory; {@code records} as {@link CycleOutput#records()}. */
record SpooledCycle(long seq, CycleOutput output, int records) {
    SpooledCycle(long seq, CycleOutput output) {
        this(seq, output, output.records());
    }
}
