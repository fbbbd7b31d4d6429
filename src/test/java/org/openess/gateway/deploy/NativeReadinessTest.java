package org.openess.gateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.openess.gateway.api.StatusResource;
import org.openess.gateway.archive.Manifest;
import org.openess.gateway.profile.ProfileFile;
import org.openess.gateway.profile.ProfileLoader;
import org.openess.gateway.testsupport.UnitTest;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a native build needs that a JVM build does not, checked on the JVM (the native build itself
 * cannot run on this machine, README "Native"): every type Jackson binds is registered for
 * reflection, the built-in profiles are included as resources, no class holds state in a static
 * field that would be frozen into the image at build time, and the native profile exists.
 */
@UnitTest
class NativeReadinessTest {
    private static final Path CLASSES = Path.of("target/classes");

    /** The roots Jackson reads or writes: profile files, archive manifests, the status API. */
    private static final List<Class<?>> JACKSON_ROOTS = List.of(ProfileFile.class, Manifest.class, StatusResource.Status.class);

    @Test
    void everyTypeJacksonBindsIsRegisteredForReflection() throws Exception {
        Set<Class<?>> registered = registeredTypes();
        Set<Class<?>> seen = new HashSet<>();
        Deque<Type> todo = new ArrayDeque<>(JACKSON_ROOTS);
        List<String> missing = new ArrayList<>();
        while (!todo.isEmpty()) {
            Type t = todo.pop();
            if (t instanceof ParameterizedType p) {
                todo.addAll(List.of(p.getActualTypeArguments()));
                todo.push(p.getRawType());
                continue;
            }
            if (!(t instanceof Class<?> c) || !c.getName().startsWith("org.openess.") || !seen.add(c) || c.isEnum()) {
                continue;
            }
            if (!registered.contains(c)) {
                missing.add(c.getName());
            }
            if (c.isRecord()) {
                for (RecordComponent rc : c.getRecordComponents()) {
                    todo.push(rc.getGenericType());
                }
            } else {
                for (Field f : c.getFields()) {
                    todo.push(f.getGenericType());
                }
            }
        }
        assertTrue(seen.size() >= 10, "walked only " + seen);
        assertTrue(missing.isEmpty(), "bound by Jackson but not @RegisterForReflection: " + missing);
    }

    private static Set<Class<?>> registeredTypes() throws Exception {
        Set<Class<?>> out = new HashSet<>();
        for (Class<?> c : mainClasses()) {
            RegisterForReflection r = c.getAnnotation(RegisterForReflection.class);
            if (r != null) {
                if (r.targets().length == 0) {
                    out.add(c);
                }
                out.addAll(List.of(r.targets()));
            }
        }
        return out;
    }

    private static List<Class<?>> mainClasses() throws IOException, ClassNotFoundException {
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(CLASSES)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = CLASSES.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", "");
                out.add(Class.forName(name, false, NativeReadinessTest.class.getClassLoader()));
            }
        }
        assertTrue(out.size() > 50, "main classes not found under " + CLASSES.toAbsolutePath());
        return out;
    }

    /**
     * Resources read by name at run time (profiles, model definitions) are invisible to the native
     * build's analysis: every file under src/main/resources must be matched by
     * quarkus.native.resources.includes, except the configuration and META-INF, which Quarkus
     * handles itself.
     */
    @Test
    void everyResourceIsANativeResource() throws IOException {
        Properties app = new Properties();
        Path resources = Path.of("src/main/resources");
        try (InputStream in = Files.newInputStream(resources.resolve("application.properties"))) {
            app.load(in);
        }
        String includes = app.getProperty("quarkus.native.resources.includes");
        assertNotNull(includes, "quarkus.native.resources.includes");
        List<PathMatcher> globs = new ArrayList<>();
        for (String glob : includes.split(",")) {
            globs.add(FileSystems.getDefault().getPathMatcher("glob:" + glob.trim()));
        }
        List<String> missing = new ArrayList<>();
        int checked = 0;
        try (Stream<Path> files = Files.walk(resources)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path rel = resources.relativize(f);
                if (rel.toString().equals("application.properties") || rel.startsWith("META-INF")) {
                    continue;
                }
                checked++;
                if (globs.stream().noneMatch(g -> g.matches(rel))) {
                    missing.add(rel.toString());
                }
            }
        }
        for (String profile : ProfileLoader.BUILTIN) {
            assertTrue(Files.exists(resources.resolve("profiles/" + profile + ".yaml")), profile);
        }
        assertTrue(checked >= ProfileLoader.BUILTIN.size(), "resources checked: " + checked);
        assertEquals(List.of(), missing, "not in quarkus.native.resources.includes=" + includes);
    }

    /**
     * Quarkus initialises classes at build time where it can: a static field holding a driver, a
     * random generator, a thread, an executor or a connection would be created at build time and
     * frozen into the image.
     */
    @Test
    void noStaticFieldHoldsRunTimeState() throws Exception {
        List<Class<?>> runtimeOnly = List.of(java.sql.Driver.class, java.sql.Connection.class, java.util.Random.class,
                Thread.class, java.util.concurrent.Executor.class, io.vertx.core.Vertx.class, java.net.Socket.class,
                java.nio.channels.Channel.class, java.io.InputStream.class, java.io.OutputStream.class);
        List<String> found = new ArrayList<>();
        for (Class<?> c : mainClasses()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    for (Class<?> r : runtimeOnly) {
                        if (r.isAssignableFrom(f.getType())) {
                            found.add(c.getName() + "." + f.getName() + " (" + f.getType().getName() + ")");
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), found);
    }

    @Test
    void theNativeProfileBuildsANativeExecutable() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        int profile = pom.indexOf("<id>native</id>");
        assertTrue(profile > 0, "no native profile in pom.xml");
        String rest = pom.substring(profile, pom.indexOf("</profile>", profile));
        assertTrue(rest.contains("<quarkus.native.enabled>true</quarkus.native.enabled>"), rest);
        assertTrue(rest.contains("quarkus-jdbc-postgresql"), "native support for the archive's JDBC driver");
    }
}
