package org.openess.gateway.sunspec;

import java.util.List;
import java.util.stream.Collectors;

/**
 * How many instances of one repeating group a device serves, and the shapes of the groups nested
 * in it, in the order of the model's groups. Every instance of a group has the same shape (a count
 * is read from the model's fixed part or is a constant), so the tree mirrors the model's groups.
 */
public record GroupShape(int count, List<GroupShape> groups) {

    public GroupShape {
        groups = List.copyOf(groups);
    }

    /** Registers of one instance of {@code group} (its points and every nested instance). */
    public int instanceRegisters(SunSpecModel.Group group) {
        int n = group.pointRegisters();
        for (int i = 0; i < groups.size(); i++) {
            n += groups.get(i).count() * groups.get(i).instanceRegisters(group.groups().get(i));
        }
        return n;
    }

    /** {@code 3}, or {@code 2[1[4], 1[4]]} when groups are nested in it. */
    public String describe() {
        return count + (groups.isEmpty() ? "" : render(groups));
    }

    static String render(List<GroupShape> shapes) {
        return shapes.stream().map(GroupShape::describe).collect(Collectors.joining(", ", "[", "]"));
    }
}
