package org.openess.gateway.config;

/** When appended records are forced to the disk ({@code ess.spool.sync}). */
public enum SyncPolicy {
    /** fsync at most every {@code ess.spool.sync-interval}, covering everything appended since (group commit). */
    INTERVAL,
    /** fsync before a cycle counts as taken (grouped per hand-off drain, so one fsync covers all cycles waiting). */
    ALWAYS,
    /** Never fsync; the operating system writes back when it likes (about 30 s on Linux). */
    NEVER
}
