package org.openess.gateway.testsupport;

import java.util.List;
import java.util.stream.Collectors;

import io.quarkus.arc.Arc;
import io.quarkus.arc.InjectableContext;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Which application-scoped beans an application built before it stopped, for tests of what a
 * command instantiates. Written at shutdown (after every other shutdown observer) to the system
 * property {@value #PROPERTY} (outside the ess.* and quarkus.* namespaces the configuration checks)
 * as a comma-separated list of bean classes: a system property, so a
 * test can read it after a {@code QuarkusMainLauncher} run whatever class loader ran the app.
 */
@ApplicationScoped
public class CreatedBeans {
    public static final String PROPERTY = "gateway-test.created-application-scoped-beans";

    void record(@Observes @Priority(Integer.MAX_VALUE) ShutdownEvent event) {
        InjectableContext context = Arc.container().getActiveContext(ApplicationScoped.class);
        String created = context.getState().getContextualInstances().keySet().stream()
                .map(b -> b.getBeanClass().getName()).sorted().collect(Collectors.joining(","));
        System.setProperty(PROPERTY, created);
    }

    /** The bean classes the last application that stopped had built. */
    public static List<String> lastRun() {
        String v = System.getProperty(PROPERTY);
        if (v == null) {
            throw new AssertionError("no application recorded its beans (is " + CreatedBeans.class.getName() + " a bean?)");
        }
        return v.isEmpty() ? List.of() : List.of(v.split(","));
    }
}
