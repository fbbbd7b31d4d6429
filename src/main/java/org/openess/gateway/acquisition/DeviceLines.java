package org.openess.gateway.acquisition;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.openess.gateway.config.EssConfig;
import org.openess.gateway.modbus.SerialSettings;
import org.openess.gateway.modbus.Transport;

/**
 * The transport keys of the devices, checked together: what one device's keys cannot say alone
 * (a host is needed unless the line is serial; the unit ids an RTU bus allows) and what devices
 * must agree on (every device on one serial port has its settings; one host and port is spoken to
 * in one framing). Each refusal names the key. The single values are constraints on
 * {@link EssConfig.Device}.
 */
final class DeviceLines {
    /** How one device is reached. */
    record Line(Transport transport, String host, SerialSettings serial) {
    }

    private final Map<String, String> firstOnPort = new HashMap<>();
    private final Map<String, SerialSettings> settingsOnPort = new HashMap<>();
    private final Map<String, String> framingOfEndpoint = new HashMap<>();

    /** Checks {@code d} (with the devices checked before it) and says how it is reached. */
    Line check(String id, EssConfig.Device d) {
        // as SmallRye names the key: the id quoted only when it needs it
        String key = id.matches("[A-Za-z0-9_-]+") ? "ess.devices." + id + "." : "ess.devices.\"" + id + "\".";
        Transport transport = Transport.parse(d.transport());
        if (transport == null) {
            throw new IllegalArgumentException(key + "transport must be tcp, rtu-over-tcp or rtu, got '" + d.transport() + "'");
        }
        if (transport.isRtu() && (d.unitId() < 1 || d.unitId() > 247)) {
            throw new IllegalArgumentException(key + "unit-id must be 1..247 on an RTU bus (transport " + transport.label()
                    + "), got " + d.unitId() + ": 0 is broadcast, which no device answers, and 248..255 are reserved");
        }
        if (transport != Transport.RTU) {
            String host = d.host().map(String::trim).orElseThrow(() -> new IllegalArgumentException(
                    key + "host is required with transport " + transport.label()));
            String endpoint = host.toLowerCase(Locale.ROOT) + ":" + d.port();
            String other = framingOfEndpoint.putIfAbsent(endpoint, transport.label() + " (device '" + id + "')");
            if (other != null && !other.startsWith(transport.label() + " ")) {
                throw new IllegalArgumentException(key + "transport is " + transport.label() + " but " + endpoint + " is reached with "
                        + other + "; one host and port speaks one framing");
            }
            return new Line(transport, host, null);
        }
        String port = d.serialPort().map(String::trim).orElseThrow(() -> new IllegalArgumentException(
                key + "serial-port is required with transport rtu (e.g. /dev/ttyUSB0)"));
        SerialSettings settings = new SerialSettings(port, d.baudRate(), d.dataBits(),
                SerialSettings.Parity.valueOf(d.parity().toUpperCase(Locale.ROOT)), d.stopBits());
        SerialSettings first = settingsOnPort.putIfAbsent(port, settings);
        if (first != null && !first.equals(settings)) {
            throw new IllegalArgumentException(key + "baud-rate, parity, data-bits, stop-bits: " + settings.format() + " on " + port
                    + ", but device '" + firstOnPort.get(port) + "' on the same serial port has " + first.format()
                    + "; the devices of one bus share its settings");
        }
        firstOnPort.putIfAbsent(port, id);
        return new Line(transport, d.host().orElse(""), settings);
    }
}
