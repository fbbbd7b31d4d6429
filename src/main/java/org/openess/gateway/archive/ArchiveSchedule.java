package org.openess.gateway.archive;

import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.openess.gateway.GatewayService;
import org.openess.gateway.config.EssConfig;
import org.openess.gateway.storage.Database;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The nightly run inside the service: {@code ess.archive.cron} in {@code ess.archive.zone}
 * archives yesterday and backfills earlier days without a manifest. It does nothing in one-shot
 * commands (they share the application but do not start the gateway) and when no target is set.
 * Scheduled methods returning void run on a worker thread, so the blocking archive never holds an
 * event loop.
 */
@ApplicationScoped
public class ArchiveSchedule {
    private static final Logger LOG = Logger.getLogger(ArchiveSchedule.class);

    @Inject
    EssConfig config;
    @Inject
    Database database;
    @Inject
    GatewayService gateway;

    /** Called before the service starts: wrong archive settings stop it at once, not at midnight. */
    public void checkSettings() {
        if (config.archive().target().filter(t -> !t.isBlank()).isEmpty()) {
            LOG.info("archive off: ess.archive.target is not set");
            return;
        }
        ArchiveSettings s = ArchiveSettings.from(config.archive());
        LOG.infof("archive: %s at cron '%s' in %s, to %s", s.gzip() ? "gzip CSV" : "CSV", config.archive().cron(), s.zone(),
                s.target());
    }

    @Scheduled(identity = "ess-archive", cron = "{ess.archive.cron}", timeZone = "{ess.archive.zone}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void nightly() {
        if (!gateway.isRunning() || config.archive().target().filter(t -> !t.isBlank()).isEmpty()) {
            return;
        }
        try (Archiver archiver = Archiver.open(ArchiveSettings.from(config.archive()), database.settings())) {
            List<SiteDayResult> results = archiver.archivePending(archiver.yesterday(), Optional.empty(), new LogProgress());
            long failed = results.stream().filter(r -> !r.ok()).count();
            LOG.infof("archive: %d site-day(s) archived, %d not (retried at the next run)", results.size() - failed, failed);
        } catch (RuntimeException e) {
            LOG.errorf("archive run failed, retried at the next run: %s", e.getMessage());
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
