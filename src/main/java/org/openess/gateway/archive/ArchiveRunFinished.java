package org.openess.gateway.archive;

import java.util.List;

/**
 * A CDI event fired after each scheduled archive run (for the metrics): the site-days it handled,
 * or {@code error} when the run failed before it got to them.
 */
public record ArchiveRunFinished(List<SiteDayResult> results, String error) {
}
