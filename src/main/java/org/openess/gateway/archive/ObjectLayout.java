package org.openess.gateway.archive;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

/**
 * Object names below the target: {@code <site>/<YYYY>/<MM>/<DD>/<YYYY-MM-DD>-<table>.csv[.gz]} and
 * {@code .../<YYYY-MM-DD>-manifest.json}. Site ids are free text in the configuration, so anything
 * outside {@code [A-Za-z0-9._-]} is percent-encoded: a '/' or ".." in an id can never escape its folder.
 */
public final class ObjectLayout {
    private ObjectLayout() {
    }

    public static String tableObject(String site, LocalDate day, String table, boolean gzip) {
        return folder(site, day) + day + "-" + segment(table) + (gzip ? ".csv.gz" : ".csv");
    }

    public static String manifestObject(String site, LocalDate day) {
        return folder(site, day) + day + "-manifest.json";
    }

    static String folder(String site, LocalDate day) {
        return segment(site) + "/" + String.format("%04d/%02d/%02d/", day.getYear(), day.getMonthValue(), day.getDayOfMonth());
    }

    static String segment(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.';
            if (plain) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        String s = out.toString();
        return s.equals(".") ? "%2E" : s.equals("..") ? "%2E%2E" : s;
    }
}
