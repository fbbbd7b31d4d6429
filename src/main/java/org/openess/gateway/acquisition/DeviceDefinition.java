package org.openess.gateway.acquisition;

import java.time.Duration;

import org.openess.gateway.decode.CycleDecoder;
import org.openess.gateway.plan.RequestPlan;
import org.openess.gateway.profile.Profile;

/** A configured device with its profile compiled: what to read, how often, how to decode. */
public record DeviceDefinition(String id, String host, int port, int unitId, Duration pollInterval, Duration timeout,
        Profile profile, CycleDecoder decoder) {

    /** The reads of a cycle: the plan the decoder was compiled for. */
    public RequestPlan plan() {
        return decoder.plan();
    }
}
