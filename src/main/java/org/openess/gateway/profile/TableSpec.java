package org.openess.gateway.profile;

import java.util.List;
import java.util.Map;

/** One target table of a profile: constant columns, an optional group and its points in order. */
public record TableSpec(String name, Map<String, Integer> constants, GroupSpec group, List<PointSpec> points) {

    public boolean isGrouped() {
        return group != null;
    }

    /** Rows this table yields per poll. */
    public int rowsPerCycle() {
        return group == null ? 1 : group.count();
    }
}
