package org.openess.gateway.archive;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.jboss.logging.Logger;
import org.openess.gateway.lifecycle.ServiceState;
import org.openess.gateway.config.EssConfig;
import org.openess.gateway.config.TimescaleSettings;
import org.openess.gateway.storage.Database;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import jakarta.inject.Inject;

/**
 * The nightly run inside the service: {@code ess.archive.cron} in {@code ess.archive.zone}
 * archives yesterday and backfills earlier days without a manifest ({@code ess.archive.backfill-days}).
 * <p>
 * The scheduler starts halted ({@code quarkus.scheduler.start-mode=halted}) because the one-shot
 * commands run in the same application: only {@link #start()}, called when the service starts,
 * resumes it. {@code ess.archive.cron=off} (or {@code disabled}) is the scheduler's own switch.
 * A run goes to a thread of its own: it may take minutes, and neither an event loop nor the shared
 * worker pool should be held that long; the returned stage keeps the scheduler's SKIP in force
 * until the run is over, so runs never overlap. With {@code ess.timescale.retain-raw} set, the same
 * run then drops the raw days the archive verifies ({@link Retention}).
 */
@ApplicationScoped
public class ArchiveSchedule {
    private static final Logger LOG = Logger.getLogger(ArchiveSchedule.class);
    static final String JOB = "ess-archive";

    @Inject
    EssConfig config;
    @Inject
    Database database;
    @Inject
    ServiceState service;
    @Inject
    Scheduler scheduler;
    @Inject
    Event<ArchiveRunFinished> finished;
    @Inject
    RetentionState retention;

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ess-archive");
        t.setDaemon(true);
        return t;
    });

    /** Checks the archive settings (when a target is set) and lets the scheduler fire. */
    public void start() {
        if (isArchiving()) {
            ArchiveSettings s = ArchiveSettings.from(config.archive());
            if (scheduler.getScheduledJob(JOB) == null) {
                LOG.infof("archive schedule off (ess.archive.cron=%s); the archive command still works", config.archive().cron());
            } else {
                LOG.infof("archive: %s at cron '%s' in %s, to %s", s.gzip() ? "gzip CSV" : "CSV", config.archive().cron(), s.zone(),
                        s.target());
            }
        } else {
            LOG.info("archive off: ess.archive.target is not set");
            if (TimescaleSettings.from(config.timescale()).retainRaw().isPresent()) {
                LOG.warn("ess.timescale.retain-raw is set but ess.archive.target is not: no day can be verified against an archive,"
                        + " so no raw row is dropped");
            }
        }
        scheduler.resume();
    }

    @Scheduled(identity = JOB, cron = "${ess.archive.cron}", timeZone = "${ess.archive.zone}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    CompletionStage<Void> scheduled() {
        if (!isArchiving() || !service.running()) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.runAsync(this::nightly, worker);
    }

    private boolean isArchiving() {
        return config.archive().target().filter(t -> !t.isBlank()).isPresent();
    }

    void nightly() {
        try (Archiver archiver = Archiver.open(ArchiveSettings.from(config.archive()), database::settings)) {
            List<SiteDayResult> results = archiver.archivePending(archiver.yesterday(), Optional.empty(), new LogProgress());
            long failed = results.stream().filter(r -> !r.ok()).count();
            LOG.infof("archive: %d site-day(s) archived, %d not (retried at the next run)", results.size() - failed, failed);
            finished.fire(new ArchiveRunFinished(results, null));
            retain(archiver);
        } catch (RuntimeException e) {
            LOG.errorf("archive run failed, retried at the next run: %s", e.getMessage());
            finished.fire(new ArchiveRunFinished(List.of(), String.valueOf(e.getMessage())));
        }
    }

    /** After the archive, on the same target: raw days older than ess.timescale.retain-raw that it verifies. */
    private void retain(Archiver archiver) {
        Optional<Duration> raw = TimescaleSettings.from(config.timescale()).retainRaw();
        if (raw.isEmpty()) {
            retention.off();
            return;
        }
        try {
            retention.record(archiver.retain(raw.get(), Instant.now(), false));
        } catch (RuntimeException e) {
            retention.failed(TimescaleSettings.label(raw.get()), String.valueOf(e.getMessage()));
        }
    }

    void stop(@Observes(notifyObserver = Reception.IF_EXISTS) ShutdownEvent event) {
        worker.shutdown();
    }

    private static final class LogProgress implements ArchiveListener {
        @Override
        public void tableProgress(String site, DayWindow w, String table, long csvBytes) {
            LOG.infof("%s %s: %s ... %d MiB of CSV so far", w.day(), site, table, csvBytes >> 20);
        }

        @Override
        public void tableDone(String site, DayWindow w, TableResult r) {
            LOG.infof("%s %s: %s %d rows, %d bytes, %s %s", w.day(), site, r.table(), r.rows(), r.checksums().bytes(),
                    r.put().outcome().name().toLowerCase(), r.object());
        }
    }
}
