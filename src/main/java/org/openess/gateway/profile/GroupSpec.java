package org.openess.gateway.profile;

/**
 * A repeated block of points (rack i of N): instance i reads each point at
 * {@code address + i * stride} and yields its own row with {@code column = first + i}.
 */
public record GroupSpec(String column, int count, int first, Integer defaultStride) {

    public int keyOf(int instance) {
        return first + instance;
    }
}
