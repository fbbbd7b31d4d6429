package org.openess.gateway.profile;

/** The profile's {@code overview:} section: the table and columns the status page charts (null: not charted). */
public record OverviewSection(String table, String soc, String dcVoltage, String dcCurrent, String power,
        String maxCellTemperature, String minCellTemperature) {
}
