package org.openess.gateway.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * Tag {@value TestTags#DB}: a test that needs a database server: the test TimescaleDB
 * ({@code scripts/timescaledb.sh start}, see {@link TestDatabase}), or an embedded PostgreSQL
 * it starts itself. Every end-to-end {@code @QuarkusTest} is one.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(TestTags.DB)
public @interface DbTest {
}
