package org.openess.gateway.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * Tag {@value TestTags#BROWSER}: a test that drives Debian's headless chromium through chromedriver
 * (packages chromium and chromium-driver, installed by {@code scripts/test.sh}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(TestTags.BROWSER)
public @interface BrowserTest {
}
