package org.openess.gateway.metrics;

import java.util.concurrent.atomic.AtomicLong;

import org.openess.gateway.archive.ArchiveRunFinished;
import org.openess.gateway.archive.RetentionState;
import org.openess.gateway.archive.SiteDayResult;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Scheduled archive runs by outcome (ok: every site-day archived; partial: some failed or were
 * locked by another gateway; failed: the run itself failed) and site-days by outcome; the days the
 * last retention run kept because the archive did not verify them.
 */
@ApplicationScoped
public class ArchiveMetrics {
    private final AtomicLong runsOk = new AtomicLong();
    private final AtomicLong runsPartial = new AtomicLong();
    private final AtomicLong runsFailed = new AtomicLong();
    private final AtomicLong daysArchived = new AtomicLong();
    private final AtomicLong daysFailed = new AtomicLong();
    private final AtomicLong daysLocked = new AtomicLong();
    private final AtomicLong lastRunMillis = new AtomicLong();
    @jakarta.inject.Inject
    RetentionState retention;

    void onRun(@Observes ArchiveRunFinished run) {
        lastRunMillis.set(System.currentTimeMillis());
        if (run.error() != null) {
            runsFailed.incrementAndGet();
            return;
        }
        boolean allOk = true;
        for (SiteDayResult r : run.results()) {
            if (r.ok()) {
                daysArchived.incrementAndGet();
            } else if (r.lockedElsewhere()) {
                daysLocked.incrementAndGet();
                allOk = false;
            } else {
                daysFailed.incrementAndGet();
                allOk = false;
            }
        }
        (allOk ? runsOk : runsPartial).incrementAndGet();
    }

    void bind(MeterRegistry registry, OwnMeters own) {
        String runs = "ess.archive.runs";
        String help = "Scheduled archive runs by outcome";
        own.add(FunctionCounter.builder(runs, runsOk, AtomicLong::get).tag("outcome", "ok").description(help).register(registry));
        own.add(FunctionCounter.builder(runs, runsPartial, AtomicLong::get).tag("outcome", "partial").description(help).register(registry));
        own.add(FunctionCounter.builder(runs, runsFailed, AtomicLong::get).tag("outcome", "failed").description(help).register(registry));
        String days = "ess.archive.site.days";
        String dh = "Site-days handled by scheduled archive runs, by outcome";
        own.add(FunctionCounter.builder(days, daysArchived, AtomicLong::get).tag("outcome", "archived").description(dh).register(registry));
        own.add(FunctionCounter.builder(days, daysFailed, AtomicLong::get).tag("outcome", "failed").description(dh).register(registry));
        own.add(FunctionCounter.builder(days, daysLocked, AtomicLong::get).tag("outcome", "locked_elsewhere").description(dh)
                .register(registry));
        own.add(Gauge.builder("ess.retention.blocked.days", retention, RetentionState::blockedDays)
                .description("Days old enough for ess.timescale.retain-raw that the last retention run kept: not verified against the archive")
                .register(registry));
        own.add(Gauge.builder("ess.archive.last.run.timestamp.seconds", lastRunMillis, v -> v.get() == 0 ? Double.NaN : v.get() / 1000.0)
                .description("When the last scheduled archive run finished").register(registry));
    }
}
