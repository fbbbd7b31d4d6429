package org.openess.gateway.archive;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;

/**
 * One calendar day in the archive zone as the half-open interval [start, end): the row at local
 * midnight belongs to the day it starts. Built from the zone's rules, so DST days are 23 or 25 hours.
 */
public record DayWindow(LocalDate day, ZoneId zone, OffsetDateTime start, OffsetDateTime end) {

    public static DayWindow of(LocalDate day, ZoneId zone) {
        // atStartOfDay, not atTime(0, 0): in zones whose DST gap swallows midnight the day starts later
        return new DayWindow(day, zone, day.atStartOfDay(zone).toOffsetDateTime(),
                day.plusDays(1).atStartOfDay(zone).toOffsetDateTime());
    }

    public Duration length() {
        return Duration.between(start, end);
    }
}
