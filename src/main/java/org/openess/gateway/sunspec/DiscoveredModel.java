package org.openess.gateway.sunspec;

import java.util.List;

/**
 * One model found in a device's chain: its definition, which occurrence of that model id it is
 * (1-based: a battery with two strings has model 804 twice), where its header ({@code ID}, {@code L})
 * starts, its declared length {@code L} (what the device serves, trusted over the model file) and
 * the shape of each of its top-level repeating groups (in the order of the model's groups).
 */
public record DiscoveredModel(SunSpecModel model, int occurrence, int address, int length, List<GroupShape> groups) {

    public DiscoveredModel {
        groups = List.copyOf(groups);
    }

    /** Registers of one instance of top-level group {@code i}, nested groups included. */
    public int instanceRegisters(int i) {
        return groups.get(i).instanceRegisters(model.group().groups().get(i));
    }

    /** Address of the first point after the header. */
    public int bodyAddress() {
        return address + 2;
    }

    /** First address after the model: points at or past it are not served by the device. */
    public int endAddress() {
        return address + 2 + length;
    }

    /** Short form for logs and the status API: {@code 804#2@40200+120 [4]}, {@code 707#1@40100+60 [2] nested [[1[4], 1[4], 1[4]]]}. */
    public String describe() {
        boolean nested = groups.stream().anyMatch(g -> !g.groups().isEmpty());
        String counts = groups.stream().map(g -> Integer.toString(g.count())).collect(java.util.stream.Collectors.joining(", ", "[", "]"));
        String inner = groups.stream().map(g -> GroupShape.render(g.groups())).collect(java.util.stream.Collectors.joining(", ", "[", "]"));
        return model.id() + "#" + occurrence + "@" + address + "+" + length + (groups.isEmpty() ? "" : " " + counts)
                + (nested ? " nested " + inner : "");
    }
}
