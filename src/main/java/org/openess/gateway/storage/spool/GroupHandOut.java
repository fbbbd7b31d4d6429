package org.openess.gateway.storage.spool;

import java.util.List;

import org.openess.gateway.storage.buffer.Batch;

/**
 * Turns groups of records into batches for the writer: the live window's oldest cycles once due
 * (while fewer than two batches of live rows wait), and the backlog's next group (one group ahead
 * of the writer). Spool thread only, apart from {@link #onReady}.
 */
final class GroupHandOut {
    private final int batchRows;
    private final LiveWindow window;
    private final BacklogReplay replay;
    private final Acknowledgements acks;
    private final ReadyBatches ready;
    private volatile Runnable onReady = () -> {
    };

    GroupHandOut(int batchRows, LiveWindow window, BacklogReplay replay, Acknowledgements acks, ReadyBatches ready) {
        this.batchRows = batchRows;
        this.window = window;
        this.replay = replay;
        this.acks = acks;
        this.ready = ready;
    }

    /** The writer's wake-up, run (from the spool thread) whenever batches are added. */
    void onReady(Runnable wakeWriter) {
        this.onReady = wakeWriter;
    }

    void handOut(SpoolStore store, long nowMillis) {
        if (ready.liveRows() < 2L * batchRows) {
            GroupBuilder live = window.takeIfDue(nowMillis);
            if (live != null) {
                publish(store, live, false);
            }
        }
        if (ready.replayRows() <= 0) {
            GroupBuilder backlog = replay.next(store);
            if (backlog != null) {
                publish(store, backlog, true);
            }
        }
    }

    private void publish(SpoolStore store, GroupBuilder built, boolean replayed) {
        RecordGroup g = new RecordGroup(built.from(), built.to(), replayed);
        List<Batch> batches = GroupBatches.of(built.cycles(), batchRows);
        if (batches.isEmpty()) {
            // cycles with nothing to write (possible for gap-free empty outputs): done at once
            store.commit(g.from, g.to);
            return;
        }
        acks.track(g, batches);
        ready.add(batches, replayed);
        onReady.run();
    }
}
