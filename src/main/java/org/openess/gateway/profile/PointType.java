package org.openess.gateway.profile;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a point's raw Modbus data is interpreted before scaling. */
public enum PointType {
    /** One bit of a 16-bit register (field {@code bit}: 0 = least significant). */
    BIT(1, false),
    /** A coil or discrete input; in a register area, "register != 0". */
    BOOL(1, false),
    INT16(1, true), UINT16(1, true),
    INT32(2, true), UINT32(2, true), FLOAT32(2, true),
    INT64(4, true), UINT64(4, true), FLOAT64(4, true),
    /**
     * Text kinds, produced by SunSpec discovery only (not accepted in profile files): ASCII of
     * {@code size} registers with NULs trimmed, a dotted IPv4 address (2 registers), an IPv6
     * address (8), an EUI-48 MAC address (4 registers, the upper 16 bits unused).
     */
    STRING(0, false), IPV4(2, false), IPV6(8, false), EUI48(4, false);

    private final int registers;
    private final boolean numeric;

    PointType(int registers, boolean numeric) {
        this.registers = registers;
        this.numeric = numeric;
    }

    /** Registers (16-bit words) the value occupies; bit-like types occupy one register or one bit. */
    public int registers() {
        return registers;
    }

    public boolean isNumeric() {
        return numeric;
    }

    public boolean isFloat() {
        return this == FLOAT32 || this == FLOAT64;
    }

    /** Stored as text rather than a number. */
    public boolean isText() {
        return this == STRING || this == IPV4 || this == IPV6 || this == EUI48;
    }

    public boolean isMultiRegister() {
        return registers > 1;
    }

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PointType parse(String text) {
        for (PointType t : values()) {
            if (!t.isText() && t.yamlName().equals(text)) {
                return t;
            }
        }
        return null;
    }

    public static String names() {
        return Arrays.stream(values()).filter(t -> !t.isText()).map(PointType::yamlName).collect(Collectors.joining(", "));
    }
}
