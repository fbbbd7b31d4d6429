package org.openess.gateway.profile;

/** The four Modbus read functions a read area can use. */
public enum FunctionCode {
    COILS(1, "coils", true),
    DISCRETE_INPUTS(2, "discrete-inputs", true),
    HOLDING_REGISTERS(3, "holding-registers", false),
    INPUT_REGISTERS(4, "input-registers", false);

    private final int code;
    private final String yamlName;
    private final boolean bitAddressed;

    FunctionCode(int code, String yamlName, boolean bitAddressed) {
        this.code = code;
        this.yamlName = yamlName;
        this.bitAddressed = bitAddressed;
    }

    public int code() {
        return code;
    }

    public String yamlName() {
        return yamlName;
    }

    /** Coils and discrete inputs address single bits; the other two address 16-bit registers. */
    public boolean isBitAddressed() {
        return bitAddressed;
    }

    /** Accepts the YAML name or the function code number (1-4). */
    public static FunctionCode parse(String text) {
        for (FunctionCode f : values()) {
            if (f.yamlName.equals(text) || String.valueOf(f.code).equals(text)) {
                return f;
            }
        }
        return null;
    }
}
