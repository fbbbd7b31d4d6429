package org.openess.gateway.archive;

import java.time.Instant;
import java.util.List;

import org.jboss.logging.Logger;
import org.openess.gateway.config.TimescaleSettings;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The last scheduled retention run, for {@code /api/status} ({@code retention}) and the metric
 * {@code ess_retention_blocked_days}: which days it dropped and which it kept, and why.
 */
@ApplicationScoped
public class RetentionState {
    private static final Logger LOG = Logger.getLogger(RetentionState.class);

    /** A day that was old enough but not verified against the archive, with every reason. */
    @RegisterForReflection
    public record BlockedDay(String day, List<String> reasons) {
    }

    /** {@code retainRaw} null: retention is off. Times are ISO-8601; {@code error}: the run itself failed. */
    @RegisterForReflection
    public record Summary(String retainRaw, String lastRun, String lastEligibleDay, List<String> droppedDays,
            List<BlockedDay> blockedDays, int chunksDropped, long rowsDeleted, String error) {
    }

    private volatile Summary last = new Summary(null, null, null, List.of(), List.of(), 0, 0, null);

    public Summary summary() {
        return last;
    }

    public int blockedDays() {
        return last.blockedDays().size();
    }

    void off() {
        last = new Summary(null, null, null, List.of(), List.of(), 0, 0, null);
    }

    void record(Retention.Result r) {
        if (r.lockedElsewhere()) {
            LOG.info("retention: another process is running retention (advisory lock held); skipped here");
            return;
        }
        List<BlockedDay> blocked = r.blocked().stream().map(d -> new BlockedDay(d.day().toString(), d.reasons())).toList();
        for (BlockedDay b : blocked) {
            LOG.warnf("retention: %s kept, not verified against the archive (retried at the next run): %s", b.day(),
                    String.join("; ", b.reasons()));
        }
        List<String> dropped = r.verified().stream().map(d -> d.day().toString()).toList();
        LOG.infof("retention: raw rows older than %s: %d day(s) dropped (%d chunk(s), %d row(s) deleted), %d kept", TimescaleSettings.label(r.retainRaw()),
                dropped.size(), r.chunksDropped(), r.rowsDeleted(), blocked.size());
        last = new Summary(TimescaleSettings.label(r.retainRaw()), Instant.now().toString(), r.lastEligibleDay().toString(), dropped, blocked,
                r.chunksDropped(), r.rowsDeleted(), null);
    }

    void failed(String retainRaw, String error) {
        LOG.errorf("retention failed, retried at the next run: %s", error);
        Summary s = last;
        last = new Summary(retainRaw, Instant.now().toString(), s.lastEligibleDay(), List.of(), s.blockedDays(), 0, 0, error);
    }
}
