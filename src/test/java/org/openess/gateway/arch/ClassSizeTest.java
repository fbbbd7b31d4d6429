package org.openess.gateway.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.openess.gateway.testsupport.UnitTest;

/** Small classes: no source file of the service over {@value #MAX_LINES} lines. */
@UnitTest
class ClassSizeTest {
    static final int MAX_LINES = 500;

    @Test
    void noMainSourceFileIsOverTheLimit() throws IOException {
        Path main = Path.of("src/main/java");
        try (Stream<Path> files = Files.walk(main)) {
            List<String> over = files.filter(p -> p.toString().endsWith(".java")).map(p -> {
                try {
                    long n = Files.readAllLines(p).size();
                    return n > MAX_LINES ? main.relativize(p) + ": " + n + " lines" : null;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).filter(s -> s != null).sorted().toList();
            assertEquals(List.of(), over, "split these along their seams");
        }
    }
}
