package org.openess.gateway.sunspec;

import java.util.List;
import java.util.Map;

/**
 * One SunSpec information model as its JSON file defines it (structure only), validated: the
 * top-level group starts with the {@code ID} and {@code L} points, every scale-factor reference
 * and count names a point that exists, sizes match types.
 */
public record SunSpecModel(int id, String source, Group group) {

    /**
     * A point: {@code sf} is a scale-factor point name or null; {@code sfConstant} a fixed exponent or null;
     * {@code bits} a bitfield's symbols by bit number (empty for other types and bitfields without symbols).
     */
    public record Point(String name, SunSpecType type, int size, String sf, Integer sfConstant, Integer value, Map<Integer, String> bits) {
        public Point {
            bits = Map.copyOf(bits);
        }
    }

    /**
     * A group of points. The top-level group has no count; a repeating group's count is either a
     * point name ({@code countPoint}, read from the device) or a constant ({@code countConstant},
     * 0 = as many as fill the model's length).
     */
    public record Group(String name, String countPoint, Integer countConstant, List<Point> points, List<Group> groups) {

        /** Registers of this group's own points (one instance, without nested groups). */
        public int pointRegisters() {
            return points.stream().mapToInt(Point::size).sum();
        }

        public Point point(String name) {
            return points.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
        }

        /** Register offset of a point from the start of the group. */
        public int offsetOf(String name) {
            int offset = 0;
            for (Point p : points) {
                if (p.name().equals(name)) {
                    return offset;
                }
                offset += p.size();
            }
            return -1;
        }

        public boolean fillsModel() {
            return countConstant != null && countConstant == 0;
        }
    }

    /** The model's name (the top-level group's), e.g. {@code battery}. */
    public String name() {
        return group.name();
    }

    @Override
    public String toString() {
        return "model " + id + " (" + group.name() + ")";
    }
}
