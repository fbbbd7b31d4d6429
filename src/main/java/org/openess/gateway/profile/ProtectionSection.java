package org.openess.gateway.profile;

import java.util.List;

/**
 * The protection-map rules in force for a profile: the OpenESS defaults ({@link OpenEssProtectionMap})
 * merged with the profile's {@code protection:} section, checked (every table and column exists,
 * a fault limit lies beyond its warning, delays and deadbands are not negative).
 */
public record ProtectionSection(double onDelaySeconds, double offDelaySeconds, List<Limit> limits, List<Flag> flags) {

    public static final double DEFAULT_ON_DELAY_SECONDS = 3;
    public static final double DEFAULT_OFF_DELAY_SECONDS = 10;

    public enum When {
        ABOVE, BELOW, MAGNITUDE_ABOVE;

        public String yaml() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    /** A threshold rule; {@code warning} or {@code fault} may be null (that level is not checked). */
    public record Limit(String code, String table, String column, When when, Double warning, Double fault, double deadband) {
    }

    /** A device flag: active while the column is not 0. {@code level} is "warning" or "fault". */
    public record Flag(String code, String table, String column, String level) {
    }

    public static ProtectionSection none() {
        return new ProtectionSection(DEFAULT_ON_DELAY_SECONDS, DEFAULT_OFF_DELAY_SECONDS, List.of(), List.of());
    }
}
