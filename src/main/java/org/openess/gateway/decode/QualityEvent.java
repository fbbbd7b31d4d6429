package org.openess.gateway.decode;

/**
 * A value that failed a check and was stored as NULL: what the device sent (raw registers), what
 * it decoded to, and the rule it broke ("max 3", "not finite", "int4 range").
 */
public record QualityEvent(String device, long tickMillis, String table, int groupKey, String column, int[] raw,
        double value, String rule) {
}
