package org.openess.gateway.archive;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Turns the first field of every CSV data row from PostgreSQL's ISO text form of a timestamptz
 * ({@code 2026-11-26 00:00:00.25+09}, DateStyle ISO, which the JDBC driver always sets) into
 * ISO-8601 ({@code 2026-11-26T00:00:00.25+09:00}); everything else passes through unchanged.
 * Doing this here instead of with {@code to_char} in the SELECT lets the server send its rows
 * without a projection, which is most of the cost of a formatted COPY, and the client does the
 * small rewrite on the other core. Quoted fields may hold commas and line breaks, so rows are
 * found with a CSV-aware scan, not by lines.
 */
final class IsoTimestampRewriter extends FilterOutputStream {
    private static final byte[] MINUTES = { ':', '0', '0' };

    private enum State { HEADER, TIMESTAMP, REST }

    private State state = State.HEADER;
    private boolean quoted;
    private final byte[] field = new byte[64];
    private int fieldLength;

    IsoTimestampRewriter(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] { (byte) b }, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int end = off + len;
        int i = off;
        while (i < end) {
            if (state == State.TIMESTAMP) {
                byte c = b[i++];
                if (c == ',' || c == '\n') {
                    writeTimestamp();
                    out.write(c);
                    state = c == ',' ? State.REST : State.TIMESTAMP;
                } else if (fieldLength == field.length) {
                    throw new IOException("the first CSV column is not a timestamp (more than 64 bytes)");
                } else {
                    field[fieldLength++] = c;
                }
                continue;
            }
            // the header row or the rest of a data row: pass through to the end of the row
            int start = i;
            while (i < end) {
                byte c = b[i++];
                if (c == '"') {
                    quoted = !quoted; // a doubled quote inside a quoted field toggles twice
                } else if (c == '\n' && !quoted) {
                    state = State.TIMESTAMP;
                    break;
                }
            }
            out.write(b, start, i - start);
        }
    }

    private void writeTimestamp() throws IOException {
        // "2026-11-26 00:00:00+09": the date-time separator, then an offset of whole hours lacks ":00"
        if (fieldLength >= 19 && field[10] == ' ') {
            field[10] = 'T';
        }
        out.write(field, 0, fieldLength);
        if (fieldLength >= 22 && (field[fieldLength - 3] == '+' || field[fieldLength - 3] == '-')) {
            out.write(MINUTES);
        }
        fieldLength = 0;
    }

    @Override
    public void close() throws IOException {
        if (state == State.TIMESTAMP && fieldLength > 0) {
            writeTimestamp();
        }
        super.close();
    }
}
