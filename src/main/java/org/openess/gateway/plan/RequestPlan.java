package org.openess.gateway.plan;

import java.util.List;

import org.openess.gateway.profile.FunctionCode;

/** The reads that cover every point of a profile, in address order per function. */
public record RequestPlan(List<ReadRequest> reads) {

    public int registerCount() {
        return reads.stream().mapToInt(ReadRequest::count).sum();
    }

    /** The read holding {@code length} addresses from {@code address}; -1 when none (a planner bug). */
    public int readIndexOf(FunctionCode function, int address, int length) {
        for (ReadRequest r : reads) {
            if (r.function() == function && address >= r.start() && address + length - 1 <= r.end()) {
                return r.index();
            }
        }
        return -1;
    }
}
