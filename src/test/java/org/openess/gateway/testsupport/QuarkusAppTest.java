package org.openess.gateway.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * Tag {@value TestTags#QUARKUS}: a {@code @QuarkusTest} or {@code @QuarkusMainTest} that needs
 * nothing besides this JVM, but builds and boots the application, once per test profile: seconds
 * to a minute each, too slow for the unit run.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(TestTags.QUARKUS)
public @interface QuarkusAppTest {
}
