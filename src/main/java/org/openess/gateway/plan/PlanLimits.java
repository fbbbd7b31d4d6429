package org.openess.gateway.plan;

/**
 * Bounds for request planning. Modbus allows at most 125 registers or 2000 bits per read; some
 * devices accept less. {@code maxGap} is how many unused registers (or bits) a read may span to
 * save a round trip; reads never leave the profile's declared areas whatever the gap. The
 * configured values are validated (with their keys) on {@code EssConfig.Device}; the checks here
 * guard the planner's own assumptions for every other caller.
 */
public record PlanLimits(int maxRegisters, int maxBits, int maxGap) {
    public static final int MODBUS_MAX_REGISTERS = 125;
    public static final int MODBUS_MAX_BITS = 2000;
    public static final PlanLimits DEFAULT = new PlanLimits(MODBUS_MAX_REGISTERS, MODBUS_MAX_BITS, MODBUS_MAX_REGISTERS);

    public PlanLimits {
        if (maxRegisters < 4 || maxRegisters > MODBUS_MAX_REGISTERS) {
            throw new IllegalArgumentException("max-registers must be 4.." + MODBUS_MAX_REGISTERS + " (a 64-bit value needs 4), got "
                    + maxRegisters);
        }
        if (maxBits < 1 || maxBits > MODBUS_MAX_BITS) {
            throw new IllegalArgumentException("max-bits must be 1.." + MODBUS_MAX_BITS + ", got " + maxBits);
        }
        if (maxGap < 0) {
            throw new IllegalArgumentException("max-gap must be 0 or more, got " + maxGap);
        }
    }

    public int maxFor(org.openess.gateway.profile.FunctionCode function) {
        return function.isBitAddressed() ? maxBits : maxRegisters;
    }
}
