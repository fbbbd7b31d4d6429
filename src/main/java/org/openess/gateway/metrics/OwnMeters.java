package org.openess.gateway.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import jakarta.inject.Inject;

/**
 * The meters this application registered, removed again when it stops. The injected registry is
 * Micrometer's global composite, which outlives a Quarkus application in the same JVM (dev-mode
 * live reload, one test JVM running several applications): a meter left there would shadow the
 * next application's meter of the same name and tags with the old one's stale numbers. Only an
 * instance that exists is told about the shutdown: a command that registered nothing builds none.
 */
@ApplicationScoped
public class OwnMeters {
    @Inject
    MeterRegistry registry;

    private final List<Meter> meters = new ArrayList<>();
    private final List<Runnable> removals = new ArrayList<>();

    synchronized <M extends Meter> M add(M meter) {
        meters.add(meter);
        return meter;
    }

    /**
     * A Prometheus collector beside the Micrometer meters, in the Prometheus registry that
     * {@code /q/metrics} scrapes (found inside the composite); removed again when the application stops.
     */
    synchronized void addCollector(Collector collector) {
        for (MeterRegistry r : registry instanceof CompositeMeterRegistry c ? c.getRegistries() : Set.of(registry)) {
            if (r instanceof PrometheusMeterRegistry prometheus) {
                CollectorRegistry target = prometheus.getPrometheusRegistry();
                target.register(collector);
                removals.add(() -> target.unregister(collector));
            }
        }
    }

    MeterRegistry registry() {
        return registry;
    }

    synchronized void onStop(@Observes(notifyObserver = Reception.IF_EXISTS) ShutdownEvent e) {
        meters.forEach(registry::remove);
        meters.clear();
        removals.forEach(Runnable::run);
        removals.clear();
    }
}
