package org.openess.gateway.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Markdown page of the project's documentation, read the way the documented-keys checks need
 * it: the configuration keys it names (in inline code and in code blocks), its tables, its
 * relative links and the anchors of its headings. A plain reader of the subset the pages use, not
 * a Markdown parser.
 */
final class MarkdownPage {
    /** A configuration key as the pages write it: {@code ess.devices."<id>".host}, {@code ess.spool.*}, {@code -Dess.x=1}. */
    private static final Pattern KEY = Pattern.compile("(?:(?<=-D)|(?<![A-Za-z0-9_.\\-/]))((?:ess|quarkus)\\.[A-Za-z0-9_.\"<>*\\-\\[\\]]+)");
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    /** A table row: its cells as written, and the table's header cells. */
    record Row(List<String> header, List<String> cells, int line) {
        Optional<String> cell(String column) {
            for (int i = 0; i < header.size() && i < cells.size(); i++) {
                if (header.get(i).equalsIgnoreCase(column)) {
                    return Optional.of(cells.get(i));
                }
            }
            return Optional.empty();
        }
    }

    /** A key named on the page, at a line; {@code prefix} when it ends in {@code *} (a family of keys: {@code ess.spool.*}). */
    record NamedKey(String name, boolean prefix, int line) {
    }

    private final Path file;
    private final List<String> lines;

    private MarkdownPage(Path file, List<String> lines) {
        this.file = file;
        this.lines = lines;
    }

    static MarkdownPage read(Path file) {
        try {
            return new MarkdownPage(file, Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MarkdownPage of(String name, String text) {
        return new MarkdownPage(Path.of(name), List.of(text.split("\n", -1)));
    }

    Path file() {
        return file;
    }

    int lineCount() {
        return lines.size();
    }

    /** Every key in inline code, and every key in a fenced code block (properties, shell, usage text). */
    List<NamedKey> keys() {
        List<NamedKey> out = new ArrayList<>();
        for (Line line : lines()) {
            if (line.fenced()) {
                keysIn(line.text(), line.number(), out);
            } else {
                Matcher span = CODE_SPAN.matcher(line.text());
                while (span.find()) {
                    keysIn(span.group(1), line.number(), out);
                }
            }
        }
        return out;
    }

    /** A line of the page, numbered from 1; {@code fenced} inside a code block (the fence lines themselves are left out). */
    private record Line(int number, String text, boolean fenced) {
    }

    private List<Line> lines() {
        List<Line> out = new ArrayList<>();
        boolean fenced = false;
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i);
            if (text.stripLeading().startsWith("```")) {
                fenced = !fenced;
            } else {
                out.add(new Line(i + 1, text, fenced));
            }
        }
        return out;
    }

    private static void keysIn(String text, int line, List<NamedKey> out) {
        Matcher m = KEY.matcher(text);
        while (m.find()) {
            String name = m.group(1).replaceFirst("\\.+$", ""); // a sentence's full stop
            boolean prefix = name.endsWith("*");
            while (name.endsWith("*")) {
                name = name.substring(0, name.length() - 1);
            }
            out.add(new NamedKey(name, prefix, line));
        }
    }

    /** The first key in a text (a table cell), if any. */
    static Optional<String> firstKey(String text) {
        Matcher span = CODE_SPAN.matcher(text);
        while (span.find()) {
            Matcher m = KEY.matcher(span.group(1));
            if (m.find() && !m.group(1).endsWith("*")) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }

    /** The text of the code span a cell starts with ({@code `1s` (`2s` in dev)} gives 1s), if it starts with one. */
    static Optional<String> leadingCode(String cell) {
        Matcher m = Pattern.compile("^`([^`]*)`").matcher(cell.strip());
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The rows of every table, outside code blocks. */
    List<Row> tableRows() {
        List<Row> rows = new ArrayList<>();
        List<String> header = null;
        for (Line line : lines()) {
            String text = line.text().strip();
            if (line.fenced() || !text.startsWith("|")) {
                header = null;
                continue;
            }
            List<String> cells = cells(text);
            if (header == null) {
                header = cells;
            } else if (!cells.stream().allMatch(c -> c.matches(":?-+:?"))) {
                rows.add(new Row(header, cells, line.number()));
            }
        }
        return rows;
    }

    /** Cells of a table line; a {@code |} inside inline code or escaped as {@code \|} stays in its cell. */
    private static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean code = false;
        String body = line.substring(1, line.endsWith("|") && line.length() > 1 ? line.length() - 1 : line.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '`') {
                code = !code;
            }
            if (c == '\\' && i + 1 < body.length() && body.charAt(i + 1) == '|') {
                cur.append('|');
                i++;
            } else if (c == '|' && !code) {
                cells.add(cur.toString().strip());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        cells.add(cur.toString().strip());
        return cells;
    }

    /** Relative link targets ({@code docs/spool-and-outages.md#full}), outside code blocks. */
    List<String> relativeLinks() {
        List<String> out = new ArrayList<>();
        for (Line line : lines()) {
            if (line.fenced()) {
                continue;
            }
            Matcher m = LINK.matcher(line.text().replaceAll("`[^`]*`", "``"));
            while (m.find()) {
                String target = m.group(1);
                if (!target.matches("^[a-z]+:.*")) {
                    out.add(target);
                }
            }
        }
        return out;
    }

    /** The anchors GitHub gives the headings: lower case, punctuation dropped, spaces as hyphens. */
    Set<String> anchors() {
        Set<String> out = new LinkedHashSet<>();
        for (Line line : lines()) {
            if (!line.fenced() && line.text().matches("^#{1,6} .*")) {
                String title = line.text().replaceFirst("^#+ ", "").strip().toLowerCase(Locale.ROOT);
                String anchor = title.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
                String unique = anchor;
                for (int n = 1; !out.add(unique); n++) {
                    unique = anchor + "-" + n;
                }
            }
        }
        return out;
    }
}
