package org.openess.gateway.archive;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;
import org.openess.gateway.GatewayService;
import org.openess.gateway.config.EssConfig;
import org.openess.gateway.storage.Database;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

/**
 * The nightly run inside the service: {@code ess.archive.cron} in {@code ess.archive.zone}
 * archives yesterday and backfills earlier days without a manifest. Scheduled programmatically by
 * {@link #start()} when the service starts, so one-shot commands (which share the application)
 * never run it, and a wrong cron or zone is reported with the key's name before anything else
 * starts. The run itself goes to a thread of its own: it may take minutes, and neither an event
 * loop nor a shared worker pool should be held that long.
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
    GatewayService gateway;
    @Inject
    Scheduler scheduler;
    @Inject
    Event<ArchiveRunFinished> finished;

    private final AtomicBoolean busy = new AtomicBoolean();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ess-archive");
        t.setDaemon(true);
        return t;
    });

    /** Checks the archive settings and schedules the nightly job; nothing when no target is set or cron is "off". */
    public void start() {
        if (config.archive().target().filter(t -> !t.isBlank()).isEmpty()) {
            LOG.info("archive off: ess.archive.target is not set");
            return;
        }
        ArchiveSettings s = ArchiveSettings.from(config.archive());
        String cron = config.archive().cron().trim();
        if (cron.equalsIgnoreCase("off") || cron.equalsIgnoreCase("disabled")) {
            LOG.infof("archive schedule off (ess.archive.cron=%s); the archive command still works", cron);
            return;
        }
        try {
            scheduler.newJob(JOB).setCron(cron).setTimeZone(s.zone().getId())
                    .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP).setTask(execution -> trigger()).schedule();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("ess.archive.cron: '" + cron + "' is not a Quartz cron expression (" + e.getMessage()
                    + "); e.g. '0 10 0 * * ?' for 00:10 every day, or off", e);
        }
        LOG.infof("archive: %s at cron '%s' in %s, to %s", s.gzip() ? "gzip CSV" : "CSV", cron, s.zone(), s.target());
    }

    private void trigger() {
        if (!busy.compareAndSet(false, true)) {
            LOG.warn("archive: the previous run is still going; this one is skipped");
            return;
        }
        worker.execute(() -> {
            try {
                nightly();
            } finally {
                busy.set(false);
            }
        });
    }

    void nightly() {
        if (!gateway.isRunning()) {
            return;
        }
        try (Archiver archiver = Archiver.open(ArchiveSettings.from(config.archive()), database::settings)) {
            List<SiteDayResult> results = archiver.archivePending(archiver.yesterday(), Optional.empty(), new LogProgress());
            long failed = results.stream().filter(r -> !r.ok()).count();
            LOG.infof("archive: %d site-day(s) archived, %d not (retried at the next run)", results.size() - failed, failed);
            finished.fire(new ArchiveRunFinished(results, null));
        } catch (RuntimeException e) {
            LOG.errorf("archive run failed, retried at the next run: %s", e.getMessage());
            finished.fire(new ArchiveRunFinished(List.of(), String.valueOf(e.getMessage())));
        }
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
