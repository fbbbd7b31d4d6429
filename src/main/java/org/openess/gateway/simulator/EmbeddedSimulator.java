package org.openess.gateway.simulator;


import org.openess.gateway.config.EssConfig;
import org.openess.gateway.lifecycle.Await;
import org.openess.gateway.sunspec.SunSpecModelFolder;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Simulated devices inside the process ({@code ess.simulator.enabled}, the dev-mode default),
 * started with the application, before the service polls, and stopped with it: the gateway does
 * not know they are simulated, it polls them over loopback like any device.
 */
@ApplicationScoped
public class EmbeddedSimulator {
    @Inject
    Vertx vertx;
    @Inject
    EssConfig config;
    @Inject
    SunSpecModelFolder sunspecModels;

    private SimulatorServer server;

    void onStart(@Observes StartupEvent event) {
        start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public synchronized void start() {
        EssConfig.Simulator s = config.simulator();
        if (!s.enabled() || server != null) {
            return;
        }
        SimulatorServer created = Simulators.create(vertx, s.profile(), s.devices(), s.host(), s.basePort(), s.glitchEvery(),
                sunspecModels.models());
        created.setExcursionEvery(s.excursionEvery());
        Await.result(created.start(), "start the simulator");
        server = created;
    }

    public synchronized void stop() {
        if (server != null) {
            Await.result(server.stop(), "stop the simulator");
            server = null;
        }
    }

    /** Null unless running. */
    public SimulatorServer server() {
        return server;
    }
}
