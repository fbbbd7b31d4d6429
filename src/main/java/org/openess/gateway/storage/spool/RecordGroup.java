package org.openess.gateway.storage.spool;

import java.util.concurrent.atomic.AtomicInteger;

/** Consecutive spool records handed to the writer as batches; committed as one range once every batch is written. */
final class RecordGroup {
    final long from;
    final long to;
    final boolean replay;
    /** Batches of the group not yet acknowledged. */
    final AtomicInteger remaining = new AtomicInteger();

    RecordGroup(long from, long to, boolean replay) {
        this.from = from;
        this.to = to;
        this.replay = replay;
    }
}
