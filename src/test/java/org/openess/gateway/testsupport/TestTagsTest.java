package org.openess.gateway.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.commons.annotation.Testable;
import org.junit.platform.commons.support.AnnotationSupport;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.main.QuarkusMainTest;

/**
 * Every test class says what it needs with the {@link TestTags}: a class without a tag would
 * silently drop out of every selected run, and a {@code unit} class that needs something else, or
 * boots Quarkus, would break or slow down {@code -Dgroups=unit}.
 */
@UnitTest
class TestTagsTest {

    @Test
    void everyTestClassCarriesTagsThatSayWhatItNeeds() throws Exception {
        List<Class<?>> classes = testClasses();
        assertTrue(classes.size() > 50, "test classes found: " + classes.size());
        List<String> wrong = new ArrayList<>();
        for (Class<?> c : classes) {
            // only this project's tags: @QuarkusTest carries a tag of its own
            List<String> tags = AnnotationSupport.findRepeatableAnnotations(c, Tag.class).stream().map(Tag::value)
                    .filter(TestTags.ALL::contains).toList();
            if (tags.isEmpty()) {
                wrong.add(c.getName() + " has none of the tags " + TestTags.ALL);
            } else if (tags.contains(TestTags.UNIT) && tags.size() > 1) {
                wrong.add(c.getName() + ": " + TestTags.UNIT + " means it needs nothing else, but it has " + tags);
            } else if (tags.contains(TestTags.UNIT) && bootsQuarkus(c)) {
                wrong.add(c.getName() + " boots Quarkus: too slow for " + TestTags.UNIT + ", tag it " + TestTags.QUARKUS + " or what it needs");
            } else if (c.getSimpleName().endsWith("IT") && !tags.contains(TestTags.PROCESS)) {
                wrong.add(c.getName() + " runs in failsafe on the packaged jar: tag it " + TestTags.PROCESS);
            }
        }
        assertEquals(List.of(), wrong);
    }

    /** The top-level classes of the compiled test sources with at least one test method. */
    private static List<Class<?>> testClasses() throws Exception {
        Path root = Path.of(TestTagsTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class") && !p.getFileName().toString().contains("$")).toList()) {
                String name = root.relativize(f).toString().replace(f.getFileSystem().getSeparator(), ".").replaceAll("\\.class$", "");
                Class<?> c = Class.forName(name, false, TestTagsTest.class.getClassLoader());
                if (Stream.of(c.getDeclaredMethods()).anyMatch(TestTagsTest::isTest)) {
                    found.add(c);
                }
            }
        }
        return found;
    }

    private static boolean bootsQuarkus(Class<?> c) {
        return AnnotationSupport.isAnnotated(c, QuarkusTest.class) || AnnotationSupport.isAnnotated(c, QuarkusMainTest.class);
    }

    private static boolean isTest(Method m) {
        return AnnotationSupport.isAnnotated(m, Testable.class);
    }
}
