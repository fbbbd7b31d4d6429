package org.openess.gateway.config;

/** What a spool at {@code ess.spool.max-bytes} gives up ({@code ess.spool.when-full}). */
public enum WhenFull {
    /** Delete the oldest segment (its unsent ticks are recorded in ess_gaps) to make room. */
    DROP_OLDEST,
    /** Refuse new cycles (recorded in ess_gaps) until the backlog shrinks. */
    DROP_NEWEST
}
