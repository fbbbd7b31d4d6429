package org.openess.gateway.storage.spool;

import java.io.IOException;
import java.nio.file.Files;

import org.jboss.logging.Logger;

/**
 * The spool folder over the service's life: opened at start (what an earlier run left becomes
 * backlog), given up for the memory buffer when it cannot be written, probed and reopened, forced
 * per {@code ess.spool.sync} and closed. Holds the current {@link SpoolStore}: a folder unusable at
 * start gets a fresh one once a probe succeeds. Spool thread only (and the constructor).
 */
final class SpoolDisk {
    private static final Logger LOG = Logger.getLogger(SpoolDisk.class);

    private final SpoolRowBuffer.Settings settings;
    private final RecordCodec codec;
    private final SyncSchedule sync;
    private final BacklogReplay replay;
    private final MemoryFallback fallback;
    private SpoolStore store;
    private boolean opened;

    SpoolDisk(SpoolRowBuffer.Settings settings, RecordCodec codec, SyncSchedule sync, BacklogReplay replay,
            MemoryFallback fallback) {
        this.settings = settings;
        this.codec = codec;
        this.sync = sync;
        this.replay = replay;
        this.fallback = fallback;
        this.store = new SpoolStore(settings.dir(), settings.segmentBytes());
    }

    SpoolStore store() {
        return store;
    }

    /** Opens the folder, recovering what an earlier run left. */
    void open() {
        try {
            openStore();
        } catch (IOException e) {
            // an unusable folder at start is handled like one that breaks later: memory, a probe every 5 s
            store = new SpoolStore(settings.dir(), settings.segmentBytes());
            failed(e);
        }
        LOG.infof("spool %s: %d segment(s), %d byte(s), %d unsent record(s) to replay; sync=%s, max-bytes=%d, when-full=%s",
                settings.dir(), store.segmentCount(), store.totalBytes(), store.pendingRecords(), settings.syncName(),
                settings.maxBytes(), settings.whenFullName());
    }

    private void openStore() throws IOException {
        store.forceOnClose = sync.forces();
        store.open(codec);
        for (long[] r : store.unsent()) {
            replay.backlog().add(r[0], r[1]);
        }
        opened = true;
    }

    /** The disk failed with {@code e}: cycles go to memory until a probe finds it writable. */
    void failed(IOException e) {
        store.closeHead();
        replay.closeReader();
        fallback.enter(e);
    }

    void probeIfDue() {
        fallback.probeIfDue(this::reopen, () -> store.closeHead());
    }

    /** The probe: the folder is there and a new segment can be written and forced. */
    private void reopen() throws IOException {
        Files.createDirectories(settings.dir());
        if (!opened) {
            store = new SpoolStore(settings.dir(), settings.segmentBytes());
            openStore();
        }
        store.roll();
        store.sync();
    }

    void syncIfDue(boolean stopping) {
        if (fallback.active()) {
            return;
        }
        try {
            sync.syncIfDue(store, stopping);
        } catch (IOException e) {
            failed(e);
        }
    }

    void persistAcksIfDue(boolean stopping) {
        sync.persistAcksIfDue(store, stopping, fallback.active());
    }

    /** Forces what was written and the acknowledgements, and closes the files. */
    void close() {
        try {
            store.sync();
        } catch (IOException e) {
            LOG.warnf("spool: final sync failed (%s)", e.getMessage());
        }
        try {
            store.persistAcks(true);
        } catch (IOException e) {
            LOG.debugf("spool: cannot write the acknowledgement file at close (%s)", e.getMessage());
        }
        replay.closeReader();
        store.close();
    }
}
