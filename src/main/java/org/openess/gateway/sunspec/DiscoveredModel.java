package org.openess.gateway.sunspec;

import java.util.List;

/**
 * One model found in a device's chain: its definition, which occurrence of that model id it is
 * (1-based: a battery with two strings has model 804 twice), where its header ({@code ID}, {@code L})
 * starts, its declared length {@code L} and the instance count of each repeating group (in the
 * order of the model's groups).
 */
public record DiscoveredModel(SunSpecModel model, int occurrence, int address, int length, List<Integer> groupCounts) {

    /** Address of the first point after the header. */
    public int bodyAddress() {
        return address + 2;
    }

    /** Short form for logs and the status API: {@code 804#2@40200+120 [4]}. */
    public String describe() {
        return model.id() + "#" + occurrence + "@" + address + "+" + length + (groupCounts.isEmpty() ? "" : " " + groupCounts);
    }
}
