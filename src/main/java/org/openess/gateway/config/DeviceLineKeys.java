package org.openess.gateway.config;

import java.util.Optional;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

/**
 * The keys of {@code ess.devices."<id>".*} that say how a device's frames travel, and the serial
 * line of an {@code rtu} device (docs/rs485.md). Part of {@link EssConfig.Device}; what devices
 * must agree on (one bus, one set of serial settings) is checked with the device catalog.
 */
public interface DeviceLineKeys {
    /**
     * Some text besides white space. Optional keys use it instead of {@code @NotBlank}: an absent
     * Optional is validated as null, which {@code @NotBlank} refuses and {@code @Pattern} accepts.
     */
    String NOT_BLANK = "(?s).*\\S.*";

    /**
     * How the device's frames travel: {@code tcp} (Modbus TCP), {@code rtu-over-tcp} (RTU frames
     * with CRC on a TCP connection to a serial-to-Ethernet converter at host and port) or
     * {@code rtu} (a serial line, {@code serial-port}).
     */
    @WithDefault("tcp")
    @Pattern(regexp = "tcp|rtu-over-tcp|rtu", message = "must be tcp, rtu-over-tcp or rtu")
    String transport();

    /** The serial line of an {@code rtu} device: {@code /dev/ttyUSB0}, {@code /dev/ttyS1}, any path. */
    @WithName("serial-port")
    Optional<@Pattern(regexp = NOT_BLANK, message = "must not be blank") String> serialPort();

    @WithName("baud-rate")
    @WithDefault("9600")
    @Min(value = 300, message = "must be at least 300")
    @Max(value = 4_000_000, message = "must be at most 4000000")
    int baudRate();

    /** Even, as the Modbus serial line specification asks of every device by default. */
    @WithDefault("even")
    @Pattern(regexp = "none|even|odd", message = "must be none, even or odd")
    String parity();

    @WithName("data-bits")
    @WithDefault("8")
    @Min(value = 7, message = "must be 7 or 8")
    @Max(value = 8, message = "must be 7 or 8")
    int dataBits();

    @WithName("stop-bits")
    @WithDefault("1")
    @Min(value = 1, message = "must be 1 or 2")
    @Max(value = 2, message = "must be 1 or 2")
    int stopBits();
}
