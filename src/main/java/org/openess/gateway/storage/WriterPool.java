package org.openess.gateway.storage;

import java.util.List;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.spi.PgDriver;
import io.vertx.sqlclient.Pool;

/**
 * Creates the reactive pool from the options Quarkus built from {@code quarkus.datasource.*}, as
 * Quarkus itself would, with one change: statements of any length stay prepared per connection.
 *
 * <p>The Vert.x client caches prepared statements only up to 2,048 characters of SQL. A row
 * INSERT names every column and unnests one array per column, so operation1's bank, rack and pcs
 * statements (43-89 columns) are 3-6 KB: without this each batch was parsed, described and planned
 * again by the server, one extra round trip per batch. Cached, a batch is one Bind and Execute.
 */
@Singleton
public class WriterPool implements PgPoolCreator {
    private static final Logger LOG = Logger.getLogger(WriterPool.class);

    /** Longest SQL kept prepared; far above any generated INSERT (a few hundred columns). */
    static final int STATEMENT_CACHE_SQL_LIMIT = 1 << 20;

    @Override
    public Pool create(Input input) {
        if (ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.credentials-provider", String.class).isPresent()) {
            LOG.warn("quarkus.datasource.credentials-provider is not supported by the gateway's pool: "
                    + "set quarkus.datasource.username and quarkus.datasource.password");
        }
        return PgDriver.INSTANCE.createPool(input.vertx(), keepLongStatements(input.pgConnectOptionsList()), input.poolOptions());
    }

    /** Lets every statement, whatever its length, be cached by connections made with {@code options}. */
    public static List<PgConnectOptions> keepLongStatements(List<PgConnectOptions> options) {
        options.forEach(o -> o.setPreparedStatementCacheSqlLimit(STATEMENT_CACHE_SQL_LIMIT));
        return options;
    }
}
