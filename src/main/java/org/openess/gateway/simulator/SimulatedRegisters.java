package org.openess.gateway.simulator;

import org.openess.gateway.profile.FunctionCode;

/** What the simulator's Modbus server serves for one device: a register image that moves with time. */
public interface SimulatedRegisters {
    /** The device's index (port = base port + index). */
    int index();

    /** The values of a read at {@code nowMillis}, or null for "illegal data address". */
    int[] read(FunctionCode function, int start, int count, long nowMillis);
}
