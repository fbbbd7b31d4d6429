package org.openess.gateway.lifecycle;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Whether the gateway service is polling: true from the end of its start until its stop begins.
 * The one-shot commands ({@code archive}, {@code simulate}) never set it, so what only the service
 * does (the nightly archive, liveness) asks here rather than depending on the service itself.
 */
@ApplicationScoped
public class ServiceState {
    private volatile boolean running;

    public boolean running() {
        return running;
    }

    public void started() {
        running = true;
    }

    public void stopping() {
        running = false;
    }
}
