package org.openess.gateway.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * Tag {@value TestTags#INTEROP}: a test against independent Modbus implementations from Debian:
 * mbpoll and python3-pymodbus (installed by {@code scripts/test.sh}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(TestTags.INTEROP)
public @interface InteropToolsTest {
}
