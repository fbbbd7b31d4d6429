package org.openess.gateway.service;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * When the process runs the service, the device profiles and SunSpec models are checked while
 * Quarkus starts, before the HTTP listener opens: a mistake ends the start with its message, and
 * no health endpoint ever answered for a gateway that cannot poll. The one-shot commands are not
 * checked (and do not build the service).
 */
@ApplicationScoped
public class StartupCheck {
    /** Set by the main class for the bare service command, before Quarkus starts. */
    public static final String SERVICE_PROPERTY = "openess.gateway.service";

    @Inject
    Instance<GatewayService> gateway;

    void onStart(@Observes StartupEvent event) {
        if (Boolean.getBoolean(SERVICE_PROPERTY)) {
            gateway.get().prepare();
        }
    }
}
