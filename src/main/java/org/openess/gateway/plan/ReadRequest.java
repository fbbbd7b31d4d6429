package org.openess.gateway.plan;

import org.openess.gateway.profile.Area;
import org.openess.gateway.profile.FunctionCode;

/** One Modbus read of a plan: {@code count} registers (or bits) from {@code start}. */
public record ReadRequest(int index, Area area, FunctionCode function, int start, int count) {

    public int end() {
        return start + count - 1;
    }

    @Override
    public String toString() {
        return "fc" + function.code() + " " + start + "+" + count;
    }
}
