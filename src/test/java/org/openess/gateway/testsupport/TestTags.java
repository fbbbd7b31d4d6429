package org.openess.gateway.testsupport;

import java.util.List;

/**
 * The JUnit tags that say what a test class needs besides this JVM, each set by the annotation of
 * the same name ({@link UnitTest}, {@link DbTest}, ...). Select with surefire's {@code groups}:
 * {@code ./mvnw test -Dgroups=unit} runs only what needs nothing else.
 */
public final class TestTags {
    public static final String UNIT = "unit";
    public static final String QUARKUS = "quarkus";
    public static final String DB = "db";
    public static final String BROWSER = "browser";
    public static final String DEPLOY = "deploy";
    public static final String PROCESS = "process";
    public static final String INTEROP = "interop";
    public static final String ROOT = "root";

    /** Every tag a test class may carry. */
    public static final List<String> ALL = List.of(UNIT, QUARKUS, DB, BROWSER, DEPLOY, PROCESS, INTEROP, ROOT);

    private TestTags() {
    }
}
