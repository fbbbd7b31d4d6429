package org.openess.gateway.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * Tag {@value TestTags#UNIT}: a fast test that needs only this JVM. It may open loopback sockets
 * and run in-process Modbus servers, but boots no Quarkus application ({@link QuarkusAppTest}) and
 * needs no root, no installed package and no database, so that {@code ./mvnw test -Dgroups=unit}
 * runs anywhere in well under a minute.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(TestTags.UNIT)
public @interface UnitTest {
}
