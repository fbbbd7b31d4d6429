package org.openess.gateway.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Variants of the bundled operation1 profile that a test writes to a temporary file. */
public final class Operation1Profiles {
    private Operation1Profiles() {
    }

    /** Variants that end-to-end tests poll with ({@link SimulatedSite#profiles()}), by name. */
    private static final Map<String, UnaryOperator<String>> VARIANTS = Map.of(
            // short alarm delays (2 s on, 3 s off) so that alarm tests run in seconds
            "fast-alarms", yaml -> yaml + "protection:\n  on-delay: 2\n  off-delay: 3\n",
            // a table in an area (registers 1000-1009) that the simulator does not serve
            "unserved-area", yaml -> yaml
                    .replace("areas:\n", "areas:\n  - {name: EXTRA, function: input-registers, start: 1000, count: 10}\n")
                    + "  - name: extra\n    points:\n      - {column: EXTRA_VALUE, address: 1000, type: uint16}\n");

    /** The variant called {@code name} ("fast-alarms" or "unserved-area") written to a temp file. */
    public static Path variant(String name) {
        UnaryOperator<String> edit = VARIANTS.get(name);
        if (edit == null) {
            throw new IllegalArgumentException("no operation1 variant '" + name + "', only " + VARIANTS.keySet());
        }
        return edited("operation1-" + name, edit);
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
