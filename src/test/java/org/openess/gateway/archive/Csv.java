package org.openess.gateway.archive;

import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 4180 reader for the tests, written independently of the archive (which leaves CSV to the
 * database): quoted fields, doubled quotes, line breaks inside quotes. An unquoted empty field is
 * NULL (null here), a quoted empty field the empty string, as PostgreSQL's CSV defines them.
 */
final class Csv {
    private Csv() {
    }

    static List<List<String>> parse(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i += 2;
                        continue;
                    }
                    quoted = false;
                } else {
                    field.append(c);
                }
                i++;
                continue;
            }
            switch (c) {
                case '"' -> {
                    if (field.length() > 0) {
                        throw new IllegalArgumentException("quote inside an unquoted field at offset " + i);
                    }
                    quoted = true;
                    wasQuoted = true;
                }
                case ',' -> {
                    row.add(value(field, wasQuoted));
                    field.setLength(0);
                    wasQuoted = false;
                }
                case '\r' -> {
                    // CRLF is a line end too; PostgreSQL writes LF
                }
                case '\n' -> {
                    row.add(value(field, wasQuoted));
                    rows.add(row);
                    row = new ArrayList<>();
                    field.setLength(0);
                    wasQuoted = false;
                }
                default -> field.append(c);
            }
            i++;
        }
        if (quoted) {
            throw new IllegalArgumentException("unterminated quoted field");
        }
        if (field.length() > 0 || wasQuoted || !row.isEmpty()) {
            row.add(value(field, wasQuoted));
            rows.add(row);
        }
        return rows;
    }

    private static String value(StringBuilder field, boolean wasQuoted) {
        return field.length() == 0 && !wasQuoted ? null : field.toString();
    }
}
