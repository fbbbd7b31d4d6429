package org.openess.gateway.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The upstream SunSpec models repository's {@code json/} folder, read where it lies beside the
 * project ({@code ../shared/reference/sunspec-models/upstream-json/}, in CI too), never copied into
 * the project. Its absence fails the test that needs it, naming the folder.
 */
public final class UpstreamSunSpecModels {
    public static final String RELATIVE = "../shared/reference/sunspec-models/upstream-json";

    private UpstreamSunSpecModels() {
    }

    public static Path folder() {
        Path project = Path.of(System.getProperty("maven.multiModuleProjectDirectory", System.getProperty("user.dir")));
        Path dir = project.resolve(RELATIVE).normalize();
        if (!Files.isDirectory(dir) || !Files.exists(dir.resolve("model_1.json"))) {
            throw new AssertionError("the upstream SunSpec json/ folder is missing: expected " + dir + " (" + RELATIVE
                    + " from the project directory " + project.toAbsolutePath() + ")");
        }
        return dir;
    }
}
