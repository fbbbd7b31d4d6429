package org.openess.gateway.testsupport;

import java.util.Optional;

import org.openess.gateway.config.EssConfig;

/** The keys of a Modbus TCP device that tests building {@link EssConfig.Device} records do not set, at their defaults. */
public interface TcpDeviceKeys extends EssConfig.Device {
    @Override
    default String transport() {
        return "tcp";
    }

    @Override
    default Optional<String> serialPort() {
        return Optional.empty();
    }

    @Override
    default int baudRate() {
        return 9600;
    }

    @Override
    default String parity() {
        return "even";
    }

    @Override
    default int dataBits() {
        return 8;
    }

    @Override
    default int stopBits() {
        return 1;
    }
}
