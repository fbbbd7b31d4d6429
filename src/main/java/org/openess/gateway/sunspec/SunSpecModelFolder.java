package org.openess.gateway.sunspec;

import java.nio.file.Path;
import java.util.List;

import org.openess.gateway.config.EssConfig;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import jakarta.inject.Inject;

/**
 * The gateway's SunSpec model definitions: the built-in models plus {@code ess.sunspec.models-dir},
 * loaded once (so a rejected file is reported once) for the service, {@code GET /api/status} and
 * the metric {@code ess_sunspec_models_rejected} (files of the folder not used).
 */
@ApplicationScoped
public class SunSpecModelFolder {
    @Inject
    EssConfig config;
    @Inject
    MeterRegistry registry;

    private volatile SunSpecModels models;
    private Gauge gauge;

    /** Loads on first use; a missing folder throws (a configuration mistake), a broken file is rejected. */
    public synchronized SunSpecModels models() {
        if (models == null) {
            models = SunSpecModels.load(config.sunspec().modelsDir().map(Path::of).orElse(null));
            gauge = Gauge.builder("ess.sunspec.models.rejected", this, f -> f.rejected().size())
                    .description("Model files of ess.sunspec.models-dir not used (see GET /api/status sunspecRejectedModels)")
                    .register(registry);
        }
        return models;
    }

    /**
     * The injected registry is Micrometer's global composite, which outlives the application in one
     * JVM (tests, live reload): a gauge left there would shadow the next application's.
     */
    synchronized void stop(@Observes(notifyObserver = Reception.IF_EXISTS) ShutdownEvent event) {
        if (gauge != null) {
            registry.remove(gauge);
            gauge = null;
        }
        models = null;
    }

    /** The rejected files once the models are loaded; empty before. */
    public List<RejectedModel> rejected() {
        SunSpecModels m = models;
        return m == null ? List.of() : m.rejected();
    }
}
