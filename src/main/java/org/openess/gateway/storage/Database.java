package org.openess.gateway.storage;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.openess.gateway.config.EssConfig;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The reactive pool the writer and schema manager use. With {@code quarkus.datasource.reactive.url}
 * set it connects there (pool size: {@code quarkus.datasource.reactive.max-size}); without it, and
 * with {@code ess.embedded-database.enabled}, it starts the embedded PostgreSQL; otherwise it
 * refuses to start and says which key is missing.
 */
@ApplicationScoped
public class Database {
    private static final Logger LOG = Logger.getLogger(Database.class);

    @Inject
    Vertx vertx;
    @Inject
    EssConfig config;

    private Pool pool;
    private DatabaseSettings settings;

    public synchronized DatabaseSettings settings() {
        if (settings == null) {
            var quarkusConfig = ConfigProvider.getConfig();
            settings = DatabaseSettings.fromQuarkusConfig(quarkusConfig).orElseGet(() -> {
                if (!config.embeddedDatabase().enabled()) {
                    throw new IllegalStateException("no database configured: set quarkus.datasource.reactive.url "
                            + "(e.g. postgresql://ess:ess@127.0.0.1:5432/ess) or ess.embedded-database.enabled=true");
                }
                int port = EmbeddedDatabase.start(config.embeddedDatabase().port(), config.embeddedDatabase().dataDir());
                return DatabaseSettings.embedded(port);
            });
        }
        return settings;
    }

    public synchronized Pool pool() {
        if (pool == null) {
            DatabaseSettings s = settings();
            int maxSize = ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.reactive.max-size", Integer.class)
                    .orElse(Math.max(4, config.storage().maxInFlight() + 2));
            pool = PgBuilder.pool()
                    .with(new PoolOptions().setMaxSize(maxSize).setMaxWaitQueueSize(1024).setName("ess-writer"))
                    .connectingTo(s.connectOptions())
                    .using(vertx)
                    .build();
            LOG.infof("database: %s, pool of %d connections", s, maxSize);
        }
        return pool;
    }

    public synchronized void close() {
        if (pool != null) {
            pool.close();
            pool = null;
        }
    }
}
