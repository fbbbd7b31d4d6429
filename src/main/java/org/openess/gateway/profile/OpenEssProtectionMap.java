package org.openess.gateway.profile;

import java.util.List;

import org.openess.gateway.profile.ProtectionSection.Flag;
import org.openess.gateway.profile.ProtectionSection.Limit;
import org.openess.gateway.profile.ProtectionSection.When;

/**
 * The public OpenESS operation1 protection map (shared/reference/openess-operation1/README.md) on
 * operation1's column names, plus the devices' own summary warning/fault flags. A default whose
 * table or column a profile lacks is left out for that profile; a profile overrides a default by
 * naming its code.
 */
public final class OpenEssProtectionMap {
    private OpenEssProtectionMap() {
    }

    public static final List<Limit> LIMITS = List.of(
            new Limit("CELL_OVER_VOLTAGE", "rack", "RACK_MAX_CELL_VOLTAGE", When.ABOVE, 4.05, 4.10, 0.02),
            new Limit("CELL_UNDER_VOLTAGE", "rack", "RACK_MIN_CELL_VOLTAGE", When.BELOW, 3.20, 3.00, 0.02),
            new Limit("CELL_VOLTAGE_GAP", "rack", "RACK_CELL_VOLTAGE_GAP", When.ABOVE, 0.3, 0.5, 0.02),
            new Limit("CELL_OVER_TEMPERATURE", "rack", "RACK_MAX_CELL_TEMPERATURE", When.ABOVE, 50.0, 55.0, 1.0),
            new Limit("CELL_UNDER_TEMPERATURE", "rack", "RACK_MIN_CELL_TEMPERATURE", When.BELOW, 0.0, -10.0, 1.0),
            new Limit("CELL_TEMPERATURE_GAP", "rack", "RACK_CELL_TEMPERATURE_GAP", When.ABOVE, 20.0, 25.0, 1.0),
            // "current > 120 A while charging or discharging": the magnitude, either sign
            new Limit("RACK_OVER_CURRENT", "rack", "RACK_CURRENT", When.MAGNITUDE_ABOVE, 120.0, null, 5.0));

    public static final List<Flag> FLAGS = List.of(
            new Flag("BANK_WARNING_FLAG", "bank", "BATTERY_STATUS_FOR_WARNING", "warning"),
            new Flag("BANK_FAULT_FLAG", "bank", "BATTERY_STATUS_FOR_FAULT", "fault"),
            new Flag("RACK_WARNING_FLAG", "rack", "RACK_STATUS_FOR_WARNING", "warning"),
            new Flag("RACK_FAULT_FLAG", "rack", "RACK_STATUS_FOR_FAULT", "fault"));
}
