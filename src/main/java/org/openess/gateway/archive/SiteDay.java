package org.openess.gateway.archive;

import java.time.LocalDate;

/** A site's day that has rows and still needs archiving. */
public record SiteDay(String site, LocalDate day) {
}
