package org.openess.gateway.sunspec;

import java.util.List;

/**
 * One model found in a device's chain: its definition, which occurrence of that model id it is
 * (1-based: a battery with two strings has model 804 twice), where its header ({@code ID}, {@code L})
 * starts, its declared length {@code L}, the instance count of each repeating group (in the order
 * of the model's groups) and, per group, the counts of the groups nested in it (the same in every
 * instance).
 */
public record DiscoveredModel(SunSpecModel model, int occurrence, int address, int length, List<Integer> groupCounts,
        List<List<Integer>> nestedCounts) {

    /** Registers of one instance of top-level group {@code i}, nested groups included. */
    public int instanceRegisters(int i) {
        SunSpecModel.Group g = model.group().groups().get(i);
        int n = g.pointRegisters();
        for (int j = 0; j < g.groups().size(); j++) {
            n += nestedCounts.get(i).get(j) * g.groups().get(j).pointRegisters();
        }
        return n;
    }

    /** Address of the first point after the header. */
    public int bodyAddress() {
        return address + 2;
    }

    /** Short form for logs and the status API: {@code 804#2@40200+120 [4]}. */
    public String describe() {
        boolean nested = nestedCounts.stream().anyMatch(c -> !c.isEmpty());
        return model.id() + "#" + occurrence + "@" + address + "+" + length + (groupCounts.isEmpty() ? "" : " " + groupCounts)
                + (nested ? " nested " + nestedCounts : "");
    }
}
