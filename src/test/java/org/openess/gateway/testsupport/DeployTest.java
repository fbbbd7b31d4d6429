package org.openess.gateway.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * Tag {@value TestTags#DEPLOY}: a check of the deployment files that runs their tools: kubectl
 * renders the kustomization, node runs the Kubernetes schema validator.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(TestTags.DEPLOY)
public @interface DeployTest {
}
