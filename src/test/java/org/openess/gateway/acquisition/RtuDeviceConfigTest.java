package org.openess.gateway.acquisition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.openess.gateway.config.EssConfig;
import org.openess.gateway.modbus.SerialSettings;
import org.openess.gateway.modbus.Transport;
import org.openess.gateway.testsupport.TcpDeviceKeys;
import org.openess.gateway.testsupport.UnitTest;

/**
 * The transport keys: a serial device needs only its port (the four-line battery), devices on
 * one port share a bus and must agree on its settings, RTU unit ids are 1..247, and every refusal
 * names the key. The single values' ranges are constraints, see startup/InvalidConfigStartupTest.
 */
@UnitTest
class RtuDeviceConfigTest {

    record Dev(String transport, Optional<String> host, int port, int unitId, Optional<String> serialPort, int baudRate, String parity,
            int stopBits) implements TcpDeviceKeys {
        static Dev serial(String port, int unit) {
            return new Dev("rtu", Optional.empty(), 502, unit, Optional.of(port), 9600, "even", 1);
        }

        Dev baud(int baud) {
            return new Dev(transport, host, port, unitId, serialPort, baud, parity, stopBits);
        }
    }

    static String refusal(Map<String, EssConfig.Device> devices) {
        return assertThrows(IllegalArgumentException.class, () -> DeviceCatalog.fromConfig(devices)).getMessage();
    }

    @Test
    void aSerialBatteryNeedsOnlyItsPort() {
        DeviceDefinition d = DeviceCatalog.fromConfig(Map.of("battery", Dev.serial("/dev/ttyUSB0", 1))).devices().get(0);
        assertEquals(Transport.RTU, d.transport());
        assertEquals(new SerialSettings("/dev/ttyUSB0", 9600, 8, SerialSettings.Parity.EVEN, 1), d.serial());
        assertEquals("9600 8E1", d.serial().format());
        assertEquals(11, d.serial().bitsPerChar());
        assertEquals("/dev/ttyUSB0", d.address());
        assertEquals("rtu:/dev/ttyUSB0", d.endpoint());
    }

    @Test
    void devicesOnOnePortShareOneBus() {
        Map<String, EssConfig.Device> devices = new LinkedHashMap<>();
        devices.put("a", Dev.serial("/dev/ttyUSB0", 1));
        devices.put("b", Dev.serial("/dev/ttyUSB0", 2));
        devices.put("c", Dev.serial("/dev/ttyUSB1", 1));
        DeviceCatalog catalog = DeviceCatalog.fromConfig(devices);
        assertEquals(catalog.devices().get(0).endpoint(), catalog.devices().get(1).endpoint());
        assertEquals("rtu:/dev/ttyUSB1", catalog.devices().get(2).endpoint());
    }

    @Test
    void conflictingSerialSettingsOnOnePortAreRefused() {
        Map<String, EssConfig.Device> devices = new LinkedHashMap<>();
        devices.put("a", Dev.serial("/dev/ttyUSB0", 1));
        devices.put("b", Dev.serial("/dev/ttyUSB0", 2).baud(19200));
        assertEquals("ess.devices.b.baud-rate, parity, data-bits, stop-bits: 19200 8E1 on /dev/ttyUSB0, but device 'a' on the "
                + "same serial port has 9600 8E1; the devices of one bus share its settings", refusal(devices));
    }

    @Test
    void aSerialDeviceWithoutPortIsRefused() {
        Dev d = new Dev("rtu", Optional.empty(), 502, 1, Optional.empty(), 9600, "even", 1);
        assertEquals("ess.devices.x.serial-port is required with transport rtu (e.g. /dev/ttyUSB0)", refusal(Map.of("x", d)));
    }

    @Test
    void aTcpDeviceWithoutHostIsRefused() {
        Dev tcp = new Dev("tcp", Optional.empty(), 502, 1, Optional.empty(), 9600, "even", 1);
        assertEquals("ess.devices.x.host is required with transport tcp", refusal(Map.of("x", tcp)));
        Dev overTcp = new Dev("rtu-over-tcp", Optional.empty(), 502, 1, Optional.empty(), 9600, "even", 1);
        assertEquals("ess.devices.x.host is required with transport rtu-over-tcp", refusal(Map.of("x", overTcp)));
    }

    @Test
    void broadcastAndReservedUnitIdsAreRefusedOnAnRtuBus() {
        assertEquals("ess.devices.x.unit-id must be 1..247 on an RTU bus (transport rtu), got 0: 0 is broadcast, which no "
                + "device answers, and 248..255 are reserved", refusal(Map.of("x", Dev.serial("/dev/ttyS1", 0))));
        Dev overTcp = new Dev("rtu-over-tcp", Optional.of("10.0.0.9"), 4001, 248, Optional.empty(), 9600, "even", 1);
        assertEquals("ess.devices.x.unit-id must be 1..247 on an RTU bus (transport rtu-over-tcp), got 248: 0 is broadcast, "
                + "which no device answers, and 248..255 are reserved", refusal(Map.of("x", overTcp)));
    }

    @Test
    void oneHostAndPortSpeaksOneFraming() {
        Map<String, EssConfig.Device> devices = new LinkedHashMap<>();
        devices.put("a", new Dev("tcp", Optional.of("10.0.0.9"), 4001, 1, Optional.empty(), 9600, "even", 1));
        devices.put("b", new Dev("rtu-over-tcp", Optional.of("10.0.0.9"), 4001, 2, Optional.empty(), 9600, "even", 1));
        assertEquals("ess.devices.b.transport is rtu-over-tcp but 10.0.0.9:4001 is reached with tcp (device 'a'); "
                + "one host and port speaks one framing", refusal(devices));
    }

    @Test
    void rtuOverTcpDevicesShareTheConvertersBus() {
        Map<String, EssConfig.Device> devices = new LinkedHashMap<>();
        devices.put("a", new Dev("rtu-over-tcp", Optional.of("10.0.0.9"), 4001, 1, Optional.empty(), 9600, "even", 1));
        devices.put("b", new Dev("rtu-over-tcp", Optional.of("10.0.0.9"), 4001, 2, Optional.empty(), 9600, "even", 1));
        DeviceCatalog catalog = DeviceCatalog.fromConfig(devices);
        DeviceDefinition a = catalog.devices().get(0);
        assertEquals("rtu-over-tcp:10.0.0.9:4001", a.endpoint());
        assertEquals(a.endpoint(), catalog.devices().get(1).endpoint());
        assertEquals("10.0.0.9:4001", a.address());
        assertNull(a.serial());
    }
}
