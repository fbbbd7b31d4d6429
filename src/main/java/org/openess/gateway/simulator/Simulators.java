package org.openess.gateway.simulator;

import java.util.ArrayList;
import java.util.List;

import org.openess.gateway.profile.ProfileLoader;
import org.openess.gateway.sunspec.SunSpecModels;

import io.vertx.core.Vertx;

/** Builds the simulator for a {@code --profile} value: a profile (name or file) or a SunSpec chain ({@code sunspec:...}). */
public final class Simulators {
    private Simulators() {
    }

    public static SimulatorServer create(Vertx vertx, String profile, int devices, String host, int basePort, int glitchEvery) {
        return create(vertx, profile, devices, host, basePort, glitchEvery, SunSpecModels.builtin());
    }

    /** As above; a SunSpec chain may use every model of {@code models} (e.g. those of {@code ess.sunspec.models-dir}). */
    public static SimulatorServer create(Vertx vertx, String profile, int devices, String host, int basePort, int glitchEvery,
            SunSpecModels models) {
        if (!SunSpecChain.isSpec(profile)) {
            return new SimulatorServer(vertx, ProfileLoader.load(profile), devices, host, basePort, glitchEvery);
        }
        if (devices < 1) {
            throw new IllegalArgumentException("--devices must be at least 1, got " + devices);
        }
        SunSpecChain chain = SunSpecChain.parse(profile, models);
        List<SunSpecSimulatedDevice> list = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
            list.add(new SunSpecSimulatedDevice(chain, models, i));
        }
        return new SimulatorServer(vertx, profile, list, host, basePort);
    }
}
