package org.openess.gateway.storage;

import java.util.List;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import io.quarkus.arc.InactiveBeanException;
import io.quarkus.arc.InjectableInstance;
import io.quarkus.runtime.StartupEvent;
import io.vertx.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The database as Quarkus configures it: the reactive {@link Pool} that quarkus-reactive-pg-client
 * builds from the standard {@code quarkus.datasource.*} keys (TLS, certificates, pool size and
 * reconnects included), and the archive's JDBC settings derived from the same keys
 * ({@link JdbcSettings}). The pool is looked up, not injected into every command, because without
 * {@code quarkus.datasource.reactive.url} Quarkus leaves the datasource inactive, and one-shot
 * commands that need no database ({@code simulate}) must still start.
 */
@ApplicationScoped
public class Database {
    private static final Logger LOG = Logger.getLogger(Database.class);
    static final String URL_KEY = "quarkus.datasource.reactive.url";
    private static final String R_MAX_SIZE = "quarkus.datasource.reactive.max-size";

    @Inject
    InjectableInstance<Pool> pools;
    @Inject
    Config config;

    private JdbcSettings settings;

    /** Says at start-up which reactive settings the archive's JDBC connection cannot follow. */
    void reportJdbcMapping(@Observes StartupEvent event) {
        if (configured()) {
            LOG.infof("database: %s, pool of up to %d connections (quarkus.datasource.reactive.max-size)",
                    settings().describeReactive(), config.getOptionalValue(R_MAX_SIZE, Integer.class).orElse(20));
        }
    }

    public Pool pool() {
        try {
            return pools.getActive();
        } catch (InactiveBeanException | jakarta.enterprise.inject.UnsatisfiedResolutionException e) {
            // Quarkus' "No active bean found" does not say which key makes it active
            throw notConfigured(e);
        }
    }

    /** The archive's COPY connection: same server, credentials and TLS as the pool. */
    public synchronized JdbcSettings settings() {
        if (settings == null) {
            if (!configured()) {
                throw notConfigured(null);
            }
            settings = JdbcSettings.from(config);
            List<String> warnings = settings.warnings();
            warnings.forEach(LOG::warn);
        }
        return settings;
    }

    private boolean configured() {
        return config.getOptionalValues(URL_KEY, String.class).filter(l -> l.stream().anyMatch(u -> !u.isBlank())).isPresent();
    }

    private IllegalStateException notConfigured(RuntimeException cause) {
        if (configured()) {
            // set but deactivated (quarkus.datasource.active=false): Quarkus' own message says why
            return new IllegalStateException("the datasource is not active: " + cause.getMessage(), cause);
        }
        return new IllegalStateException("no database configured: set " + URL_KEY
                + " (e.g. postgresql://db.example:5432/ess?sslmode=verify-full, or QUARKUS_DATASOURCE_REACTIVE_URL) "
                + "and the credentials in quarkus.datasource.username / quarkus.datasource.password; see docs/configuration.md", cause);
    }
}
