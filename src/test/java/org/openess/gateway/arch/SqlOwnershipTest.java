package org.openess.gateway.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import org.openess.gateway.testsupport.UnitTest;

/**
 * Storage owns every table and statement: no string literal (or text block) outside
 * {@code org.openess.gateway.storage} starts with an SQL statement keyword, except the archive's
 * {@code COPY (SELECT ...) TO STDOUT}. Reads the sources as text, so it needs no database; one test
 * per package, so a failure names the package that writes SQL.
 */
@UnitTest
class SqlOwnershipTest {
    private static final Path MAIN = Path.of("src/main/java");
    private static final Path ROOT = MAIN.resolve("org/openess/gateway");
    private static final Path STORAGE = ROOT.resolve("storage");
    /** The archive streams a day's rows with COPY, which the JDBC copy API takes as text. */
    private static final Set<Path> ALLOWED = Set.of(ROOT.resolve("archive/CsvCopy.java"));
    /**
     * A statement keyword at the start of the text, followed by what the statement needs next, so
     * that prose such as "drop-oldest", "copy of a", "INSERT statements sent" or "with scale" (log
     * and help texts) is not taken for SQL. A keyword alone ("SELECT " + columns) counts.
     */
    private static final Pattern STATEMENT = Pattern.compile("(?is)\\s*(?:"
            + "SELECT\\b(?:\\s|\\(|$)"
            + "|INSERT\\s+INTO\\b|DELETE\\s+FROM\\b"
            + "|UPDATE\\s*$|UPDATE\\s+(?:ONLY\\s+)?\\S+\\s+SET\\b"
            + "|(?:CREATE|ALTER|DROP)\\s+(?:OR\\s+REPLACE\\s+|TEMP(?:ORARY)?\\s+|UNLOGGED\\s+|UNIQUE\\s+|MATERIALIZED\\s+)*"
            + "(?:TABLE|INDEX|VIEW|EXTENSION|SCHEMA|TYPE|FUNCTION|PROCEDURE|SEQUENCE|TRIGGER|DATABASE|ROLE|USER|POLICY|SYSTEM)\\b"
            + "|COPY\\s*(?:\\(|$)|COPY\\s+\\S+\\s*(?:\\(|TO\\b|FROM\\b)"
            + "|SET\\s*$|SET\\s+(?:LOCAL|SESSION|TIME\\s+ZONE|ROLE|TRANSACTION|CONSTRAINTS)\\b|SET\\s+[\\w\".]+\\s*(?:=|TO\\b)"
            + "|WITH\\s+(?:RECURSIVE\\s+)?[\\w\"]+\\s*(?:\\([^)]*\\)\\s*)?AS\\s*(?:\\(|NOT\\b|MATERIALIZED\\b)"
            + ").*");

    @TestFactory
    Stream<DynamicTest> noSqlOutsideStorage() throws IOException {
        assertTrue(Files.isDirectory(ROOT), "run from the project directory: " + ROOT.toAbsolutePath());
        List<Path> packages;
        try (Stream<Path> children = Files.list(ROOT)) {
            packages = children.filter(p -> !p.equals(STORAGE)).sorted().toList();
        }
        return packages.stream().map(p -> DynamicTest.dynamicTest(ROOT.relativize(p).toString(), () -> {
            List<String> found = new ArrayList<>();
            try (Stream<Path> files = Files.walk(p)) {
                for (Path f : files.filter(f -> f.toString().endsWith(".java") && !ALLOWED.contains(f)).sorted().toList()) {
                    for (Literal l : statements(Files.readString(f))) {
                        found.add(MAIN.relativize(f) + ":" + l.line() + ": " + firstLine(l.text()));
                    }
                }
            }
            assertEquals(List.of(), found, "SQL text outside storage/; move the statement into a storage class");
        }));
    }

    @Test
    void findsStatementsInStringsAndTextBlocksButNotInCommentsOrProse() {
        String source = """
                class X {
                    // "SELECT 1" in a comment is not a literal
                    /* "DROP TABLE t" neither */
                    String a = "select * from t";
                    String b = "  Insert INTO t VALUES (1)";
                    String c = "a \\" SELECT \\" in the middle";
                    char d = '"';
                    String e = \"""
                            WITH x AS (SELECT 1)
                            SELECT * FROM x\""";
                    String f = "Settings and selections";
                    String g = "the COPY failed";
                    String h = "SET TIME ZONE 'UTC'";
                    String i = "drop-oldest";
                    String j = "copy of a row";
                    String k = "INSERT statements sent";
                    String l = "with scale 0.1";
                    String m = "update the profile, then set it again";
                    String n = "UPDATE ";
                    String o = "copy (select 1) to stdout";
                    String p = "create unique index if not exists k on t (a)";
                    String q = " SET ended_at = now()";
                }
                """;
        assertEquals(List.of(new Literal(4, "select * from t"), new Literal(5, "  Insert INTO t VALUES (1)"),
                new Literal(8, "            WITH x AS (SELECT 1)\n            SELECT * FROM x"), new Literal(13, "SET TIME ZONE 'UTC'"),
                new Literal(19, "UPDATE "), new Literal(20, "copy (select 1) to stdout"),
                new Literal(21, "create unique index if not exists k on t (a)"), new Literal(22, " SET ended_at = now()")),
                statements(source));
    }

    record Literal(int line, String text) {
    }

    /** The string literals and text blocks of {@code source} that start with a statement keyword. */
    static List<Literal> statements(String source) {
        return literals(source).stream().filter(l -> STATEMENT.matcher(l.text()).matches()).toList();
    }

    /**
     * Every string literal and text block with the line it starts on; comments and char literals
     * are skipped. Escapes are kept as written: only the first word matters here.
     */
    static List<Literal> literals(String s) {
        List<Literal> out = new ArrayList<>();
        int line = 1;
        int i = 0;
        while (i < s.length()) {
            char ch = s.charAt(i);
            if (s.startsWith("//", i)) {
                i = s.indexOf('\n', i);
                if (i < 0) {
                    break;
                }
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                end = end < 0 ? s.length() : end + 2;
                line += count(s, i, end);
                i = end;
            } else if (s.startsWith("\"\"\"", i)) {
                int start = s.indexOf('\n', i + 3) + 1;
                int end = closing(s, start, "\"\"\"");
                out.add(new Literal(line, s.substring(start, end)));
                line += count(s, i, end);
                i = end + 3;
            } else if (ch == '"' || ch == '\'') {
                int end = closing(s, i + 1, String.valueOf(ch));
                if (ch == '"') {
                    out.add(new Literal(line, s.substring(i + 1, end)));
                }
                i = end + 1;
            } else {
                if (ch == '\n') {
                    line++;
                }
                i++;
            }
        }
        return out;
    }

    /** Where {@code quote} closes the literal that starts at {@code from}, past backslash escapes. */
    private static int closing(String s, int from, String quote) {
        int i = from;
        while (!s.startsWith(quote, i)) {
            if (i >= s.length()) {
                throw new IllegalArgumentException("unterminated literal at offset " + from);
            }
            i += s.charAt(i) == '\\' ? 2 : 1;
        }
        return i;
    }

    private static int count(String s, int from, int to) {
        return (int) s.substring(from, to).chars().filter(c -> c == '\n').count();
    }

    private static String firstLine(String text) {
        String t = text.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl) + " ...";
    }
}
