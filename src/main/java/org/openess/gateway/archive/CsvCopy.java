package org.openess.gateway.archive;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

import org.openess.gateway.storage.Sql;
import org.postgresql.PGConnection;

/**
 * One table, one site, one day, streamed from the database into a file with
 * {@code COPY (SELECT ...) TO STDOUT WITH (FORMAT csv, HEADER)}: the server does the CSV (RFC 4180
 * quoting, NULL as an empty field) and the rows pass through here in 64 KiB buffers, so memory does
 * not grow with the day. Timestamps are formatted by the server in the session time zone, which the
 * caller sets to the archive zone.
 */
final class CsvCopy {
    private static final int BUFFER = 64 * 1024;
    private static final long PROGRESS_EVERY_NANOS = 10_000_000_000L;

    private CsvCopy() {
    }

    /**
     * ISO-8601 with the zone's offset at that instant: {@code 2026-03-29T01:59:59+01:00}, fractional
     * seconds only when present ({@code .25}). PostgreSQL's own text form with DateStyle ISO (which
     * the JDBC driver always sets) is {@code 2026-03-29 01:59:59+01}, and {@code +05:30} for offsets
     * with minutes; turning that into ISO costs about half of what three {@code to_char} calls
     * cost per row, which is a good part of a whole COPY. It is used when every offset the zone
     * has during the day is of one kind (whole hours, or hours and minutes), which Java's zone
     * rules tell; days that mix both (Australia/Lord_Howe's DST days) use {@code to_char}.
     */
    static String isoTimestamp(String column, DayWindow w) {
        String c = "r." + Sql.quote(column);
        Set<ZoneOffset> offsets = offsetsDuring(w);
        if (offsets.stream().allMatch(o -> o.getTotalSeconds() % 3600 == 0)) {
            return "replace(" + c + "::text, ' ', 'T') || ':00'";
        }
        if (offsets.stream().allMatch(o -> o.getTotalSeconds() % 3600 != 0 && o.getTotalSeconds() % 60 == 0)) {
            return "replace(" + c + "::text, ' ', 'T')";
        }
        return "to_char(" + c + ", 'YYYY-MM-DD\"T\"HH24:MI:SS') || rtrim(to_char(" + c + ", '.US'), '0.') || to_char(" + c
                + ", 'TZH:TZM')";
    }

    static Set<ZoneOffset> offsetsDuring(DayWindow w) {
        ZoneRules rules = w.zone().getRules();
        Set<ZoneOffset> offsets = new HashSet<>();
        offsets.add(rules.getOffset(w.start().toInstant()));
        for (ZoneOffsetTransition t = rules.nextTransition(w.start().toInstant()); t != null
                && t.getInstant().isBefore(w.end().toInstant()); t = rules.nextTransition(t.getInstant())) {
            offsets.add(t.getOffsetAfter());
        }
        return offsets;
    }

    static String select(ArchivedTable t, String site, DayWindow w) {
        String columns = t.columns().stream()
                .map(col -> col.equals(t.timeColumn()) ? isoTimestamp(col, w) + " AS " + Sql.quote(col) : "r." + Sql.quote(col))
                .collect(Collectors.joining(", "));
        // qualified: a bare "TIMESTAMP" in ORDER BY would name the formatted text column of the output,
        // and text order is not time order on the night the offset changes
        String order = t.orderBy().stream().map(col -> "r." + Sql.quote(col)).collect(Collectors.joining(", "));
        DateTimeFormatter iso = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
        return "SELECT " + columns + " FROM " + Sql.quote(t.name()) + " r WHERE " + Sql.quote(t.siteColumn()) + " = "
                + Sql.literal(site) + " AND " + Sql.quote(t.timeColumn()) + " >= " + Sql.literal(iso.format(w.start()))
                + "::timestamptz AND " + Sql.quote(t.timeColumn()) + " < " + Sql.literal(iso.format(w.end()))
                + "::timestamptz ORDER BY " + order;
    }

    /** Writes the file and returns its row count and checksums; {@code progress} gets the bytes so far every 10 s. */
    static ExportedFile copy(Connection c, ArchivedTable t, String site, DayWindow w, Path file, boolean gzip,
            LongConsumer progress) throws SQLException, IOException {
        String sql = "COPY (" + select(t, site, w) + ") TO STDOUT WITH (FORMAT csv, HEADER)";
        ChecksumOutputStream checked;
        long rows;
        try (OutputStream fileOut = Files.newOutputStream(file)) {
            checked = new ChecksumOutputStream(gzip ? new BufferedOutputStream(fileOut, BUFFER) : fileOut);
            OutputStream encoded = gzip ? new GZIPOutputStream(checked, BUFFER) : checked;
            try (OutputStream sink = new ProgressStream(new BufferedOutputStream(encoded, BUFFER), progress)) {
                rows = c.unwrap(PGConnection.class).getCopyAPI().copyOut(sql, sink);
            }
        }
        return new ExportedFile(file, rows, checked.checksums());
    }

    /** Reports the CSV bytes written so far on long copies; COPY writes row by row, so it sees every row. */
    private static final class ProgressStream extends FilterOutputStream {
        private final LongConsumer progress;
        private long bytes;
        private long next = System.nanoTime() + PROGRESS_EVERY_NANOS;

        ProgressStream(OutputStream out, LongConsumer progress) {
            super(out);
            this.progress = progress;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            bytes += len;
            long now = System.nanoTime();
            if (now - next >= 0) {
                next = now + PROGRESS_EVERY_NANOS;
                progress.accept(bytes);
            }
        }
    }
}
