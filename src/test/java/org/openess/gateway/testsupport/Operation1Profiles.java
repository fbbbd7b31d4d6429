package org.openess.gateway.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** Variants of the bundled operation1 profile that a test writes to a temporary file. */
public final class Operation1Profiles {
    private Operation1Profiles() {
    }

    /** The bundled operation1 YAML after {@code edit}, written to a temp file named after {@code prefix}. */
    public static Path edited(String prefix, UnaryOperator<String> edit) {
        try (InputStream in = Operation1Profiles.class.getResourceAsStream("/profiles/operation1.yaml")) {
            String yaml = edit.apply(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            Path file = Files.createTempFile(prefix, ".yaml");
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
