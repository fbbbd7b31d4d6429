package org.openess.gateway.storage.spool;

import org.openess.gateway.config.SyncPolicy;

import java.io.IOException;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

/**
 * {@code ess.spool.sync}: when appended records are forced to disk (always: once per drained
 * hand-off; interval: every {@code sync-interval}; never: left to the operating system, but forced
 * at close), and how often the acknowledgement file is rewritten. Spool thread only.
 */
final class SyncSchedule {
    private static final Logger LOG = Logger.getLogger(SyncSchedule.class);
    /** The acknowledgement file is rewritten at most this often, however short the sync interval. */
    static final long MIN_ACK_PERSIST_MILLIS = 50;

    private final SyncPolicy policy;
    private final long intervalMillis;
    private final LongSupplier millis;
    private long lastSync;
    private long lastAckPersist;
    private long syncs;

    SyncSchedule(SyncPolicy policy, long intervalMillis, LongSupplier millis) {
        this.policy = policy;
        this.intervalMillis = intervalMillis;
        this.millis = millis;
        this.lastSync = millis.getAsLong();
    }

    /** False for sync=never: the operating system decides, even when a segment is closed. */
    boolean forces() {
        return policy != SyncPolicy.NEVER;
    }

    /** After records were appended: sync=always forces them before they count as taken. */
    void appended(SpoolStore store) throws IOException {
        if (policy == SyncPolicy.ALWAYS) {
            sync(store, millis.getAsLong());
        }
    }

    /** Forces unsynced records when the policy says it is time, and always when {@code stopping}. */
    void syncIfDue(SpoolStore store, boolean stopping) throws IOException {
        if (!store.unsynced()) {
            return;
        }
        long now = millis.getAsLong();
        boolean due = switch (policy) {
            case INTERVAL -> now - lastSync >= intervalMillis;
            case ALWAYS -> true;
            case NEVER -> false;
        };
        if (due || stopping) {
            sync(store, now);
        }
    }

    private void sync(SpoolStore store, long now) throws IOException {
        store.sync();
        syncs++;
        lastSync = now;
    }

    /**
     * Rewrites the acknowledgement file every sync interval (and when {@code stopping}, forced unless
     * sync=never). A failure is only logged, and not at all when {@code quiet}: losing
     * acknowledgements means sending committed rows again, which the unique key ignores.
     */
    void persistAcksIfDue(SpoolStore store, boolean stopping, boolean quiet) {
        long now = millis.getAsLong();
        if (!stopping && now - lastAckPersist < Math.max(MIN_ACK_PERSIST_MILLIS, intervalMillis)) {
            return;
        }
        lastAckPersist = now;
        try {
            store.persistAcks(forces() && stopping);
        } catch (IOException e) {
            if (!quiet) {
                LOG.debugf("spool: cannot write the acknowledgement file (%s)", e.getMessage());
            }
        }
    }

    /** fsyncs of the spool since start. */
    long syncs() {
        return syncs;
    }
}
