package org.openess.gateway.archive;

/** Progress of a run: the command prints it, the scheduled job logs it. */
public interface ArchiveListener {
    default void siteDayStarted(String site, DayWindow window) {
    }

    /** Every 10 s while a long table is being copied. */
    default void tableProgress(String site, DayWindow window, String table, long csvBytes) {
    }

    default void tableDone(String site, DayWindow window, TableResult result) {
    }

    default void siteDayDone(SiteDayResult result) {
    }
}
