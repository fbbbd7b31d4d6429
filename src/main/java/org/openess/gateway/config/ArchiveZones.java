package org.openess.gateway.config;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The zone whose midnights bound an archived day: an IANA region (Asia/Seoul) or UTC. Fixed
 * offsets are refused: PostgreSQL reads a bare "+09:00" time zone with the POSIX sign (west
 * positive), the opposite of ISO, so the two sides of an archived day's window would disagree.
 */
public final class ArchiveZones {
    private ArchiveZones() {
    }

    /** The zone in use: offsets are refused, so "Z" and "+00:00" both mean UTC. */
    public static ZoneId parse(String zone) {
        String problem = problem(zone);
        if (problem != null) {
            throw new IllegalArgumentException("ess.archive.zone: " + problem);
        }
        ZoneId id = ZoneId.of(zone.trim());
        return id instanceof ZoneOffset ? ZoneId.of("UTC") : id;
    }

    /** Why {@code zone} is refused, or null. */
    public static String problem(String zone) {
        ZoneId id;
        try {
            id = ZoneId.of(zone.trim());
        } catch (DateTimeException e) {
            return "'" + zone + "' is not a time zone (" + e.getMessage() + "); use an IANA name such as Asia/Seoul, "
                    + "Europe/Berlin or UTC";
        }
        if (id instanceof ZoneOffset o && o.getTotalSeconds() != 0) {
            return "fixed offset '" + zone + "' is not supported; use an IANA region name (Asia/Seoul) or UTC";
        }
        if (!(id instanceof ZoneOffset) && id.getId().matches("(?i)(UTC|GMT|UT)[+-].*")) {
            return "'" + zone + "' is an offset, not a region; use an IANA region name (Asia/Seoul) or UTC";
        }
        return null;
    }

}
