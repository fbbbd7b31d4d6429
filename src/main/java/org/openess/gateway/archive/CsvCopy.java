package org.openess.gateway.archive;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.format.DateTimeFormatter;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

import org.openess.gateway.storage.Sql;
import org.postgresql.PGConnection;

/**
 * One table, one site, one day, streamed from the database into a file with
 * {@code COPY (SELECT ...) TO STDOUT WITH (FORMAT csv, HEADER)}: the server does the CSV (RFC 4180
 * quoting, NULL as an empty field) and the rows pass through here in 64 KiB buffers, so memory does
 * not grow with the day. Timestamps come in the session time zone, which the caller sets to the
 * archive zone, and are rewritten to ISO-8601 on the way (see {@link IsoTimestampRewriter}).
 */
final class CsvCopy {
    private static final int BUFFER = 64 * 1024;
    private static final long PROGRESS_EVERY_NANOS = 10_000_000_000L;

    private CsvCopy() {
    }

    /**
     * True when the time column comes first, as in every table the gateway creates: the server then
     * sends the table's own rows and {@link IsoTimestampRewriter} formats the timestamps.
     */
    static boolean timeFirst(ArchivedTable t) {
        return t.columns().get(0).equals(t.timeColumn());
    }

    /**
     * ISO-8601 with the zone's offset at that instant, fractional seconds only when present, by the
     * server: for the timestamps {@link IsoTimestampRewriter} does not see (a time column that is
     * not the first, a second timestamp such as an alarm's end).
     */
    static String isoTimestamp(String column) {
        String c = "r." + Sql.quote(column);
        return "to_char(" + c + ", 'YYYY-MM-DD\"T\"HH24:MI:SS') || rtrim(to_char(" + c + ", '.US'), '0.') || to_char(" + c
                + ", 'TZH:TZM')";
    }

    static String select(ArchivedTable t, String site, DayWindow w) {
        // the rewriter formats the first column of a time-first table; the server every other timestamp
        String rewritten = timeFirst(t) ? t.timeColumn() : null;
        String columns = t.columns().stream()
                .map(col -> t.timestampColumns().contains(col) && !col.equals(rewritten) ? isoTimestamp(col) + " AS " + Sql.quote(col)
                        : "r." + Sql.quote(col))
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
            OutputStream buffered = new BufferedOutputStream(encoded, BUFFER);
            OutputStream csv = timeFirst(t) ? new IsoTimestampRewriter(buffered) : buffered;
            try (OutputStream sink = new ProgressStream(csv, progress)) {
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
