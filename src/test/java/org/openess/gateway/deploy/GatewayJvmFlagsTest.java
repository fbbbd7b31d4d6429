package org.openess.gateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.openess.gateway.testsupport.UnitTest;

/**
 * The gateway JVM flags have one home, src/main/docker/gateway-jvm.options: the image's JAVA_OPTS
 * carries exactly those flags (plus the JDK 25 ones) and the benchmarks read the file, so what
 * BENCHMARKS.md measured is what ships.
 */
@UnitTest
class GatewayJvmFlagsTest {
    static final Path OPTIONS = Path.of("src/main/docker/gateway-jvm.options");

    static final Path LARGE_SITE = Path.of("src/main/docker/large-site-jvm.options");

    static String flags() throws IOException {
        return flags(OPTIONS);
    }

    static String flags(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank() && !l.startsWith("#"))
                .map(String::strip).collect(Collectors.joining(" "));
    }

    @Test
    void theImageRunsWithTheFlagsFromTheOptionsFile() throws IOException {
        String dockerfile = Files.readString(Path.of("src/main/docker/Dockerfile.jvm"));
        Matcher m = Pattern.compile("(?m)^ENV JAVA_OPTS=\"(.*)\"$").matcher(dockerfile);
        assertTrue(m.find(), "Dockerfile.jvm sets no JAVA_OPTS");
        assertEquals(flags() + " ${JDK25_FLAGS}", m.group(1));
        assertTrue(dockerfile.contains("ARG JDK25_FLAGS=-XX:+UseCompactObjectHeaders"), dockerfile);
        assertTrue(dockerfile.contains("ENV MALLOC_ARENA_MAX=2"), dockerfile);
    }

    @Test
    void theBenchmarksReadTheOptionsFile() throws IOException {
        for (String script : List.of("bench/ingest.sh", "bench/footprint.sh")) {
            assertTrue(Files.readString(Path.of(script)).contains("src/main/docker/gateway-jvm.options"),
                    script + " does not read the gateway flags from their file");
        }
        assertTrue(Files.readString(Path.of("bench/ingest.sh")).contains("src/main/docker/large-site-jvm.options"),
                "bench/ingest.sh does not read the large-site flags from their file");
    }

    @Test
    void everyFlagIsOneThisJvmAccepts() throws Exception {
        startsThisJvm(OPTIONS);
        startsThisJvm(LARGE_SITE);
    }

    private static void startsThisJvm(Path options) throws Exception {
        // a mistyped flag stops the JVM at launch; run the JDK that runs the tests once with them all
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java));
        command.addAll(List.of(flags(options).split(" ")));
        command.add("-version");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertTrue(!out.contains("warning") && !out.contains("Unrecognized"), out);
    }
}
