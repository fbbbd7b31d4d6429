package org.openess.gateway.archive;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code <YYYY-MM-DD>-manifest.json}: the record of one site's day, written after all its files.
 * Nothing in it depends on when it was written, so an unchanged day produces an identical manifest
 * and a re-run leaves it alone.
 */
@RegisterForReflection
public record Manifest(int version, String site, String date, String zone, String windowStart, String windowEnd,
        double hours, String compression, List<Entry> tables, List<String> emptyTables) {

    /** One file of the day; {@code file} is relative to the manifest's folder. */
    @RegisterForReflection
    public record Entry(String table, String file, long rows, long bytes, String crc32c, String md5) {
    }
}
