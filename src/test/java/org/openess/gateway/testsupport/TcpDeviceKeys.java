package org.openess.gateway.testsupport;

import java.time.Duration;
import java.util.Optional;

import org.openess.gateway.config.EssConfig;

/**
 * Every key of a Modbus TCP device that has a default, at that default ({@link EssConfig.Device}):
 * tests build device records of the keys they are about (as record components, which take the
 * place of these) and leave the rest to this.
 */
public interface TcpDeviceKeys extends EssConfig.Device {
    @Override
    default int port() {
        return 502;
    }

    @Override
    default int unitId() {
        return 1;
    }

    @Override
    default String profile() {
        return "operation1";
    }

    @Override
    default Duration pollInterval() {
        return Duration.ofSeconds(1);
    }

    @Override
    default Duration timeout() {
        return Duration.ofMillis(500);
    }

    @Override
    default Duration requestGap() {
        return Duration.ZERO;
    }

    @Override
    default Duration connectDelay() {
        return Duration.ZERO;
    }

    @Override
    default int maxRegisters() {
        return 125;
    }

    @Override
    default int maxGap() {
        return 125;
    }

    @Override
    default boolean enabled() {
        return true;
    }

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
