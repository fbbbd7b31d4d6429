package org.openess.gateway.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * Tag {@value TestTags#PROCESS}: a test that runs the packaged gateway
 * ({@code target/quarkus-app/quarkus-run.jar}, built by {@code mvn package}) as a child process;
 * the failsafe {@code *IT} classes, run by {@code mvn verify}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(TestTags.PROCESS)
public @interface ProcessTest {
}
