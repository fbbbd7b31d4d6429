package org.openess.gateway.acquisition;

import java.time.Duration;
import java.util.Locale;

import org.openess.gateway.decode.CycleDecoder;
import org.openess.gateway.modbus.SerialSettings;
import org.openess.gateway.modbus.Transport;
import org.openess.gateway.plan.PlanLimits;
import org.openess.gateway.plan.RequestPlan;
import org.openess.gateway.profile.Profile;
import org.openess.gateway.sunspec.SunSpecSupport;

/**
 * A configured device with its profile compiled: what to read, how often, how to decode, and how
 * gently ({@code requestGap} between the reads of a cycle, {@code connectDelay} after a connect).
 * A SunSpec device ({@code profile: sunspec}) starts with an empty profile and {@code sunspec} set;
 * its poller discovers the real one on connect and swaps it in with {@link #withProfile}.
 * {@code transport} says how its frames travel; {@code serial} is the line of an {@code rtu}
 * device (null otherwise, and {@code host} is then unused).
 */
public record DeviceDefinition(String id, String host, int port, int unitId, Duration pollInterval, Duration timeout,
        Duration requestGap, Duration connectDelay, Profile profile, CycleDecoder decoder, SunSpec sunspec, Transport transport,
        SerialSettings serial) {

    /** How to discover a SunSpec device's layout, and the read limits to plan it with. */
    public record SunSpec(SunSpecSupport support, PlanLimits limits) {
    }

    /** A Modbus TCP device with a profile file (not SunSpec). */
    public DeviceDefinition(String id, String host, int port, int unitId, Duration pollInterval, Duration timeout,
            Duration requestGap, Duration connectDelay, Profile profile, CycleDecoder decoder) {
        this(id, host, port, unitId, pollInterval, timeout, requestGap, connectDelay, profile, decoder, null);
    }

    /** A Modbus TCP device. */
    public DeviceDefinition(String id, String host, int port, int unitId, Duration pollInterval, Duration timeout,
            Duration requestGap, Duration connectDelay, Profile profile, CycleDecoder decoder, SunSpec sunspec) {
        this(id, host, port, unitId, pollInterval, timeout, requestGap, connectDelay, profile, decoder, sunspec, Transport.TCP, null);
    }

    /**
     * Devices with the same endpoint share one link: one TCP connection (the units behind one
     * gateway), or one RTU bus (the units on one serial line or behind one converter).
     */
    public String endpoint() {
        return switch (transport) {
            case TCP -> host.toLowerCase(Locale.ROOT) + ":" + port;
            case RTU_OVER_TCP -> "rtu-over-tcp:" + host.toLowerCase(Locale.ROOT) + ":" + port;
            case RTU -> "rtu:" + serial.port();
        };
    }

    /** Where the device is, as the operator reads it: {@code host:port} or the serial port path. */
    public String address() {
        return transport == Transport.RTU ? serial.port() : host + ":" + port;
    }

    /** The reads of a cycle: the plan the decoder was compiled for. */
    public RequestPlan plan() {
        return decoder.plan();
    }

    public boolean isSunSpec() {
        return sunspec != null;
    }

    /** The same device with a discovered profile. */
    public DeviceDefinition withProfile(Profile newProfile, CycleDecoder newDecoder) {
        return new DeviceDefinition(id, host, port, unitId, pollInterval, timeout, requestGap, connectDelay, newProfile, newDecoder,
                sunspec, transport, serial);
    }
}
