package org.openess.gateway.storage;

import java.util.Optional;

import org.eclipse.microprofile.config.Config;

import io.vertx.pgclient.PgConnectOptions;

/**
 * Where the database is, read from the standard {@code quarkus.datasource.*} keys (or the embedded
 * server). Both the reactive pool and the archive's COPY connection are built from this one place.
 */
public record DatabaseSettings(String host, int port, String database, String user, String password, boolean embedded) {

    public static Optional<DatabaseSettings> fromQuarkusConfig(Config config) {
        Optional<String> url = config.getOptionalValue("quarkus.datasource.reactive.url", String.class);
        if (url.isEmpty() || url.get().isBlank()) {
            return Optional.empty();
        }
        String uri = url.get().startsWith("vertx-reactive:") ? url.get().substring("vertx-reactive:".length()) : url.get();
        PgConnectOptions options;
        try {
            options = PgConnectOptions.fromUri(uri);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("quarkus.datasource.reactive.url: not a PostgreSQL URL (" + e.getMessage()
                    + "); expected postgresql://host:port/database");
        }
        String user = config.getOptionalValue("quarkus.datasource.username", String.class).orElse(options.getUser());
        String password = config.getOptionalValue("quarkus.datasource.password", String.class).orElse(options.getPassword());
        return Optional.of(new DatabaseSettings(options.getHost(), options.getPort(), options.getDatabase(), user, password, false));
    }

    public static DatabaseSettings embedded(int port) {
        return new DatabaseSettings("127.0.0.1", port, "postgres", "postgres", "postgres", true);
    }

    public PgConnectOptions connectOptions() {
        PgConnectOptions o = new PgConnectOptions().setHost(host).setPort(port).setDatabase(database).setUser(user)
                .setCachePreparedStatements(true).setPipeliningLimit(16);
        if (password != null) {
            o.setPassword(password);
        }
        return o;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return user + "@" + host + ":" + port + "/" + database + (embedded ? " (embedded)" : "");
    }
}
