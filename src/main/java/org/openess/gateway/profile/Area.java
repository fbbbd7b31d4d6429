package org.openess.gateway.profile;

/**
 * A block of addresses a device answers for with one function code. Reads are planned inside
 * areas and never cross their edges, so a gap between points is only bridged where the device
 * is known to answer.
 */
public record Area(String name, FunctionCode function, int start, int count) {

    public int end() {
        return start + count - 1;
    }

    public boolean contains(int address, int length) {
        return address >= start && address + length - 1 <= end();
    }

    @Override
    public String toString() {
        return "'" + name + "' (" + function.yamlName() + " " + start + ".." + end() + ")";
    }
}
