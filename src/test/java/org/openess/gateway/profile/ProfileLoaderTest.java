package org.openess.gateway.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openess.gateway.testsupport.UnitTest;

/** How a profile reference (built-in name or file path) is resolved; the documents are in ProfileCasesTest. */
@UnitTest
class ProfileLoaderTest {
    private static final String MINIMAL = """
            name: minimal
            areas:
              - {name: HR, function: holding-registers, start: 0, count: 1}
            tables:
              - name: t
                points:
                  - {column: X, address: 0, type: uint16}
            """;

    @Test
    void builtInProfileIsNamedBySource() {
        Profile p = ProfileLoader.load("operation1");
        assertEquals("operation1", p.name());
        assertEquals("builtin:operation1", p.source());
    }

    @ParameterizedTest
    @ValueSource(strings = { "profile.yaml", "profile.yml", "profile.json", "no-extension" })
    void loadsAFileByPath(String name, @TempDir Path dir) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, MINIMAL, StandardCharsets.UTF_8);
        Profile p = ProfileLoader.load(file.toString());
        assertEquals("minimal", p.name());
        assertEquals(file.toString(), p.source());
    }

    @Test
    void unknownBuiltInNameIsRefused() {
        ProfileException e = assertThrows(ProfileException.class, () -> ProfileLoader.load("operation2"));
        assertTrue(e.getMessage().contains("unknown profile 'operation2': not a built-in profile (operation1) and no such file"),
                e.getMessage());
    }

    @Test
    void missingFileIsRefused(@TempDir Path dir) {
        String path = dir.resolve("missing.yaml").toString();
        ProfileException e = assertThrows(ProfileException.class, () -> ProfileLoader.load(path));
        assertEquals(path + ": profile file not found", e.getMessage());
    }

    @Test
    void aDirectoryIsRefused(@TempDir Path dir) {
        ProfileException e = assertThrows(ProfileException.class, () -> ProfileLoader.load(dir.toString()));
        assertTrue(e.getMessage().startsWith(dir + ": cannot read profile file"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = { "", " " })
    void emptyReferenceIsRefused(String reference) {
        ProfileException e = assertThrows(ProfileException.class, () -> ProfileLoader.load(reference));
        assertTrue(e.getMessage().startsWith("profile reference is empty"), e.getMessage());
    }

    @Test
    void errorsOfADocumentNameItsSource() {
        ProfileException e = assertThrows(ProfileException.class,
                () -> ProfileLoader.parse("devices/site-7.yaml", MINIMAL.replace("uint16", "uint8").getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith("devices/site-7.yaml: table 't' point 'X': unknown type 'uint8'"), e.getMessage());
    }
}
