package org.openess.gateway.service;

import org.openess.gateway.storage.Database;

import io.quarkus.runtime.StartupEvent;
import io.vertx.sqlclient.SqlConnection;
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
    @Inject
    Instance<Database> database;

    void onStart(@Observes StartupEvent event) {
        if (Boolean.getBoolean(SERVICE_PROPERTY)) {
            openFirstConnection();
            gateway.get().prepare();
        }
    }

    /**
     * The pool's first connection (TCP, authentication, the PostgreSQL client's first use) is made
     * on an event loop while the profiles are checked and Quarkus finishes starting, so that the
     * schema pass finds it open instead of waiting for it. Nothing is said here when it fails: the
     * schema pass reports the database, and a missing datasource is reported by the start itself.
     */
    private void openFirstConnection() {
        try {
            database.get().pool().getConnection().onSuccess(SqlConnection::close);
        } catch (IllegalStateException e) {
            // no datasource: the service's start names the key
        }
    }
}
