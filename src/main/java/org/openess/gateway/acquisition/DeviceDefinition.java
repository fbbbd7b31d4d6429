package org.openess.gateway.acquisition;

import java.time.Duration;

import org.openess.gateway.decode.CycleDecoder;
import org.openess.gateway.plan.RequestPlan;
import org.openess.gateway.profile.Profile;

/**
 * A configured device with its profile compiled: what to read, how often, how to decode, and how
 * gently ({@code requestGap} between the reads of a cycle, {@code connectDelay} after a connect).
 */
public record DeviceDefinition(String id, String host, int port, int unitId, Duration pollInterval, Duration timeout,
        Duration requestGap, Duration connectDelay, Profile profile, CycleDecoder decoder) {

    /** Devices with the same endpoint share one TCP connection (the units behind one gateway). */
    public String endpoint() {
        return host.toLowerCase(java.util.Locale.ROOT) + ":" + port;
    }

    /** The reads of a cycle: the plan the decoder was compiled for. */
    public RequestPlan plan() {
        return decoder.plan();
    }
}
