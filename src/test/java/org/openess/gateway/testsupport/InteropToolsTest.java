package org.openess.gateway.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * Tag {@value TestTags#INTEROP}: a test against independent Modbus implementations or tools from
 * Debian: mbpoll, python3-pymodbus (with python3-serial) and socat's pseudo-terminal pairs for
 * serial lines (installed by {@code scripts/test.sh}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(TestTags.INTEROP)
public @interface InteropToolsTest {
}
