package org.openess.gateway.modbus;

/**
 * How a serial line is driven: its path and character format. Devices on the same path share one
 * bus and must agree on all of it.
 */
public record SerialSettings(String port, int baudRate, int dataBits, Parity parity, int stopBits) {

    public enum Parity {
        NONE, EVEN, ODD;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Bits one character takes on the wire: start bit, data bits, parity bit, stop bits. */
    public int bitsPerChar() {
        return 1 + dataBits + (parity == Parity.NONE ? 0 : 1) + stopBits;
    }

    /** Nanoseconds one character takes at the baud rate. */
    public long charNanos() {
        return bitsPerChar() * 1_000_000_000L / baudRate;
    }

    /** {@code 9600 8E1} style. */
    public String format() {
        return baudRate + " " + dataBits + parity.name().charAt(0) + stopBits;
    }
}
