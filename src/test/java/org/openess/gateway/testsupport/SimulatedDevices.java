package org.openess.gateway.testsupport;

import java.util.HashMap;
import java.util.Map;

/** Config keys for the embedded Modbus simulator and for devices that poll it over loopback. */
public final class SimulatedDevices {
    private SimulatedDevices() {
    }

    /** {@code base} plus the embedded simulator enabled, serving its devices from {@code basePort} on. */
    public static Map<String, String> withSimulator(Map<String, String> base, int basePort) {
        Map<String, String> c = new HashMap<>(base);
        c.put("ess.simulator.enabled", "true");
        c.put("ess.simulator.base-port", Integer.toString(basePort));
        return c;
    }

    /** Adds device {@code name} polling 127.0.0.1:{@code port}. */
    public static void device(Map<String, String> config, String name, int port) {
        config.put("ess.devices." + name + ".host", "127.0.0.1");
        config.put("ess.devices." + name + ".port", Integer.toString(port));
    }
}
