package org.openess.gateway.sunspec;

import java.util.Map;
import java.util.TreeMap;

import org.openess.gateway.profile.FunctionCode;
import org.openess.gateway.simulator.SimulatedRegisters;

/** A device that serves fixed holding registers; a read touching an address it does not define gets exception 02. */
final class StaticRegisters implements SimulatedRegisters {
    private final Map<Integer, Integer> registers;

    StaticRegisters(Map<Integer, Integer> registers) {
        this.registers = new TreeMap<>(registers);
    }

    @Override
    public int index() {
        return 0;
    }

    @Override
    public int[] read(FunctionCode function, int start, int count, long nowMillis) {
        if (function != FunctionCode.HOLDING_REGISTERS) {
            return null;
        }
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            Integer v = registers.get(start + i);
            if (v == null) {
                return null;
            }
            out[i] = v;
        }
        return out;
    }
}
