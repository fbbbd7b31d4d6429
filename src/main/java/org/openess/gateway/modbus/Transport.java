package org.openess.gateway.modbus;

import java.util.Locale;

/** How a device's Modbus frames travel ({@code ess.devices."<id>".transport}). */
public enum Transport {
    /** Modbus TCP: MBAP header, transaction ids, one TCP connection per host and port. */
    TCP,
    /** RTU frames with CRC on a TCP connection to a serial-to-Ethernet converter: one bus per host and port. */
    RTU_OVER_TCP,
    /** RTU frames on a serial line: one bus per serial port. */
    RTU;

    /** The configuration value: {@code tcp}, {@code rtu-over-tcp}, {@code rtu}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Null for anything but a configuration value. */
    public static Transport parse(String text) {
        for (Transport t : values()) {
            if (t.label().equals(text)) {
                return t;
            }
        }
        return null;
    }

    /** RTU framing: a shared bus, one request at a time, no transaction ids. */
    public boolean isRtu() {
        return this != TCP;
    }
}
