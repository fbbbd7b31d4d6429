package org.openess.gateway.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.openess.gateway.decode.CycleDecoder;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.decode.DecodedRow;
import org.openess.gateway.decode.GapEvent;
import org.openess.gateway.decode.QualityEvent;
import org.openess.gateway.decode.RegisterSnapshot;
import org.openess.gateway.plan.PlanLimits;
import org.openess.gateway.plan.ReadRequest;
import org.openess.gateway.plan.RequestPlan;
import org.openess.gateway.plan.RequestPlanner;
import org.openess.gateway.testsupport.UnitTest;

/**
 * Register-map test cases in the style of Telegraf's Modbus {@code testcases/}: every folder under
 * {@code src/test/resources/testcases/profiles/} is one case with a profile ({@code profile.yaml},
 * {@code profile.yml} or {@code profile.json}) and either
 * <ul>
 * <li>{@code expected-error.txt}: loading must fail with a {@link ProfileException} whose message
 * names the profile file and contains every non-comment line of the file (the offending entry and
 * the rule), or</li>
 * <li>{@code registers.txt} + {@code expected-rows.txt}: the profile loads, is planned with the
 * default limits, and decoding the given registers yields exactly the expected rows, quality events
 * and gaps.</li>
 * </ul>
 *
 * <h2>registers.txt</h2>
 * <pre>
 * # comment
 * AREA:ADDRESS=v1 v2 ...     words (0..65535, decimal or 0x hex; bits 0/1) from ADDRESS on
 * ADDRESS=v1 ...             the same when the profile has a single area
 * fail AREA:ADDRESS reason   the read of the plan that covers ADDRESS fails with "reason"
 * </pre>
 * Registers not listed read as 0.
 *
 * <h2>expected-rows.txt</h2>
 * <pre>
 * table COL=value COL=value ...            one row (every column of the table, in any order)
 * table[key] COL=value ...                 a row of a grouped table; key = the group key value
 * + COL=value ...                          continues the line above
 * quality table[key] COL raw=w1,w2 value=v rule=the rule text
 * gap table missing=n reason=the reason text
 * </pre>
 * Values: NULL, integers for int4/int8, true/false for bool, numbers for float8 (compared after
 * {@link Double#toString}, so 123.4 does not match 123.40000000000001). Rows, quality events and
 * gaps are each compared in output order.
 */
@UnitTest
class ProfileCasesTest {
    private static final String ROOT = "testcases/profiles";
    private static final String SITE = "site-1";
    private static final long TICK = 1_700_000_000_000L;

    @TestFactory
    Stream<DynamicTest> profileCases() throws IOException, URISyntaxException {
        URL url = getClass().getClassLoader().getResource(ROOT);
        if (url == null) {
            fail("no test case folder " + ROOT + " on the test classpath");
        }
        Path root = Path.of(url.toURI());
        List<Path> cases;
        try (Stream<Path> s = Files.list(root)) {
            cases = s.filter(Files::isDirectory).sorted().toList();
        }
        assertTrue(cases.size() >= 40, "expected the full set of profile test cases, found " + cases.size());
        return cases.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> run(dir)));
    }

    private static void run(Path dir) throws IOException {
        Path profile = profileFile(dir);
        Path error = dir.resolve("expected-error.txt");
        Path registers = dir.resolve("registers.txt");
        Path rows = dir.resolve("expected-rows.txt");
        boolean errorCase = Files.exists(error);
        boolean decodeCase = Files.exists(registers) || Files.exists(rows);
        if (errorCase == decodeCase) {
            fail(dir + ": a case needs either expected-error.txt or registers.txt + expected-rows.txt");
        }
        if (errorCase) {
            runErrorCase(profile, error);
        } else {
            if (!Files.exists(registers) || !Files.exists(rows)) {
                fail(dir + ": a decoding case needs both registers.txt and expected-rows.txt");
            }
            runDecodeCase(profile, registers, rows);
        }
    }

    private static Path profileFile(Path dir) {
        List<Path> found = Stream.of("profile.yaml", "profile.yml", "profile.json").map(dir::resolve).filter(Files::exists)
                .toList();
        if (found.size() != 1) {
            fail(dir + ": a case needs exactly one profile.yaml, profile.yml or profile.json, found " + found);
        }
        return found.get(0);
    }

    // ---------------------------------------------------------------- start-up errors

    private static void runErrorCase(Path profile, Path error) throws IOException {
        List<String> expected = meaningfulLines(error);
        if (expected.isEmpty()) {
            fail(error + " is empty");
        }
        ProfileException e = assertThrows(ProfileException.class, () -> ProfileLoader.load(profile.toString()),
                () -> profile + " loaded although " + error.getFileName() + " expects " + expected);
        String message = e.getMessage();
        assertTrue(message.startsWith(profile.toString()), () -> "message does not start with the file name " + profile
                + ":\n  " + message);
        for (String part : expected) {
            assertTrue(message.contains(part), () -> "message lacks \"" + part + "\":\n  " + message);
        }
    }

    // ---------------------------------------------------------------- decoding

    private static void runDecodeCase(Path profilePath, Path registersFile, Path rowsFile) throws IOException {
        Profile profile = ProfileLoader.load(profilePath.toString());
        RequestPlan plan = RequestPlanner.plan(profile, PlanLimits.DEFAULT);
        Map<String, TableLayout> layouts = CycleDecoder.layoutsOf(profile);
        CycleDecoder decoder = new CycleDecoder(profile, plan, layouts);

        Registers input = Registers.parse(profile, registersFile);
        RegisterSnapshot snapshot = new RegisterSnapshot(plan);
        for (ReadRequest read : plan.reads()) {
            String failure = input.failureOf(read);
            if (failure != null) {
                snapshot.failed(read.index(), failure);
            } else {
                snapshot.succeeded(read.index(), input.words(read));
            }
        }
        CycleOutput output = decoder.decode(SITE, TICK, snapshot);
        assertEquals(SITE, output.device());
        assertEquals(TICK, output.tickMillis());

        Expected expected = Expected.parse(rowsFile, profile, layouts);
        List<String> actualRows = new ArrayList<>();
        for (DecodedRow row : output.rows()) {
            assertEquals(SITE, row.device());
            assertEquals(TICK, row.tickMillis());
            actualRows.add(render(profile, row));
        }
        List<String> actualQuality = new ArrayList<>();
        for (QualityEvent q : output.quality()) {
            assertEquals(SITE, q.device());
            assertEquals(TICK, q.tickMillis());
            actualQuality.add(render(profile, q));
        }
        List<String> actualGaps = new ArrayList<>();
        for (GapEvent g : output.gaps()) {
            assertEquals(SITE, g.device());
            assertEquals(TICK, g.tickMillis());
            actualGaps.add("gap " + g.table() + " missing=" + g.missingRows() + " reason=" + g.reason());
        }
        assertEquals(String.join("\n", expected.rows), String.join("\n", actualRows), "rows of " + rowsFile);
        assertEquals(String.join("\n", expected.quality), String.join("\n", actualQuality), "quality events of " + rowsFile);
        assertEquals(String.join("\n", expected.gaps), String.join("\n", actualGaps), "gaps of " + rowsFile);
    }

    private static String render(Profile profile, DecodedRow row) {
        TableLayout layout = row.layout();
        TableSpec spec = profile.table(layout.table());
        StringBuilder sb = new StringBuilder(label(spec, spec.isGrouped() ? row.value(spec.group().column()) : null));
        for (int c = 0; c < layout.width(); c++) {
            TableLayout.Column col = layout.columns().get(c);
            sb.append(' ').append(col.name()).append('=').append(canonical(row.value(c), col.type()));
        }
        return sb.toString();
    }

    private static String render(Profile profile, QualityEvent q) {
        TableSpec spec = profile.table(q.table());
        String raw = java.util.Arrays.stream(q.raw()).mapToObj(w -> String.format(Locale.ROOT, "0x%04X", w))
                .collect(Collectors.joining(","));
        return "quality " + label(spec, spec.isGrouped() ? q.groupKey() : null) + " " + q.column() + " raw=" + raw + " value="
                + q.value() + " rule=" + q.rule();
    }

    private static String label(TableSpec spec, Object key) {
        return spec.name() + (spec.isGrouped() ? "[" + key + "]" : "");
    }

    /** The canonical text of a decoded cell (as {@link DecodedRow#value(int)} returns it). */
    private static String canonical(Object value, SqlType type) {
        if (value == null) {
            return "NULL";
        }
        return switch (type) {
            case FLOAT8 -> Double.toString((Double) value);
            case INT4 -> Integer.toString((Integer) value);
            case INT8 -> Long.toString((Long) value);
            case BOOL -> Boolean.toString((Boolean) value);
            case TEXT -> (String) value;
        };
    }

    /** The canonical text of an expected cell, parsed by the column's type. */
    private static String canonicalExpected(String text, SqlType type, String where) {
        if (text.equals("NULL")) {
            return "NULL";
        }
        try {
            return switch (type) {
                case FLOAT8 -> Double.toString(Double.parseDouble(text));
                case INT4 -> Integer.toString(Integer.parseInt(text));
                case INT8 -> Long.toString(Long.parseLong(text));
                case BOOL -> {
                    if (!text.equals("true") && !text.equals("false")) {
                        throw new NumberFormatException("not true/false");
                    }
                    yield text;
                }
                case TEXT -> text;
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": '" + text + "' is not a " + type.sql() + " value", e);
        }
    }

    private static List<String> meaningfulLines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    private static int parseWord(String text, String where) {
        try {
            return text.startsWith("0x") || text.startsWith("0X") ? Integer.parseInt(text.substring(2), 16) : Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": '" + text + "' is not a number", e);
        }
    }

    // ---------------------------------------------------------------- registers.txt

    /** Register images per area and the failures asked for. */
    private record Registers(Profile profile, Map<Area, int[]> images, Map<Area, Map<Integer, String>> failures) {

        static Registers parse(Profile profile, Path file) throws IOException {
            Map<Area, int[]> images = new HashMap<>();
            Map<Area, Map<Integer, String>> failures = new HashMap<>();
            for (Area a : profile.areas()) {
                images.put(a, new int[a.count()]);
                failures.put(a, new HashMap<>());
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int n = 0; n < lines.size(); n++) {
                String line = lines.get(n).strip();
                String where = file.getFileName() + ":" + (n + 1);
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("fail ")) {
                    String[] parts = line.substring(5).strip().split("\\s+", 2);
                    Location loc = locate(profile, parts[0], where);
                    failures.get(loc.area).put(loc.address, parts.length > 1 ? parts[1] : "failed");
                    continue;
                }
                int eq = line.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException(where + ": expected [AREA:]ADDRESS=values or fail [AREA:]ADDRESS reason");
                }
                Location loc = locate(profile, line.substring(0, eq).strip(), where);
                String[] values = line.substring(eq + 1).strip().split("\\s+");
                int max = loc.area.function().isBitAddressed() ? 1 : 0xFFFF;
                for (int i = 0; i < values.length; i++) {
                    int address = loc.address + i;
                    if (!loc.area.contains(address, 1)) {
                        throw new IllegalArgumentException(where + ": address " + address + " is outside area " + loc.area);
                    }
                    int w = parseWord(values[i], where);
                    if (w < 0 || w > max) {
                        throw new IllegalArgumentException(where + ": " + values[i] + " is not 0.." + max);
                    }
                    images.get(loc.area)[address - loc.area.start()] = w;
                }
            }
            return new Registers(profile, images, failures);
        }

        private record Location(Area area, int address) {
        }

        private static Location locate(Profile profile, String text, String where) {
            Area area;
            String address;
            int colon = text.indexOf(':');
            if (colon >= 0) {
                String name = text.substring(0, colon);
                area = profile.areas().stream().filter(a -> a.name().equals(name)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException(where + ": no area '" + name + "'"));
                address = text.substring(colon + 1);
            } else {
                if (profile.areas().size() != 1) {
                    throw new IllegalArgumentException(where + ": the profile has several areas; write AREA:ADDRESS");
                }
                area = profile.areas().get(0);
                address = text;
            }
            int a = parseWord(address, where);
            if (!area.contains(a, 1)) {
                throw new IllegalArgumentException(where + ": address " + a + " is outside area " + area);
            }
            return new Location(area, a);
        }

        String failureOf(ReadRequest read) {
            for (Map.Entry<Integer, String> f : failures.get(read.area()).entrySet()) {
                if (f.getKey() >= read.start() && f.getKey() <= read.end()) {
                    return f.getValue();
                }
            }
            return null;
        }

        int[] words(ReadRequest read) {
            int[] image = images.get(read.area());
            int from = read.start() - read.area().start();
            return java.util.Arrays.copyOfRange(image, from, from + read.count());
        }
    }

    // ---------------------------------------------------------------- expected-rows.txt

    private record Expected(List<String> rows, List<String> quality, List<String> gaps) {

        static Expected parse(Path file, Profile profile, Map<String, TableLayout> layouts) throws IOException {
            List<String> rows = new ArrayList<>();
            List<String> quality = new ArrayList<>();
            List<String> gaps = new ArrayList<>();
            List<String> lines = joinContinuations(Files.readAllLines(file, StandardCharsets.UTF_8));
            for (int n = 0; n < lines.size(); n++) {
                String line = lines.get(n).strip();
                String where = file.getFileName() + ":" + (n + 1);
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] words = line.split("\\s+");
                switch (words[0]) {
                    case "quality" -> quality.add(quality(line, where));
                    case "gap" -> gaps.add(gap(line, where));
                    default -> rows.add(row(words, where, profile, layouts));
                }
            }
            return new Expected(rows, quality, gaps);
        }

        /** A line starting with "+ " continues the previous one; line numbers stay those of the file. */
        private static List<String> joinContinuations(List<String> lines) {
            List<String> out = new ArrayList<>(lines);
            int last = -1;
            for (int n = 0; n < out.size(); n++) {
                String line = out.get(n).strip();
                if (line.startsWith("+ ")) {
                    if (last < 0) {
                        throw new IllegalArgumentException("line " + (n + 1) + " continues nothing");
                    }
                    out.set(last, out.get(last) + " " + line.substring(2));
                    out.set(n, "");
                } else if (!line.isEmpty() && !line.startsWith("#")) {
                    last = n;
                }
            }
            return out;
        }

        private static String row(String[] words, String where, Profile profile, Map<String, TableLayout> layouts) {
            String label = words[0];
            String table = label.contains("[") ? label.substring(0, label.indexOf('[')) : label;
            TableLayout layout = layouts.get(table);
            if (layout == null) {
                throw new IllegalArgumentException(where + ": no table '" + table + "'");
            }
            Map<String, String> cells = new LinkedHashMap<>();
            for (int i = 1; i < words.length; i++) {
                int eq = words[i].indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException(where + ": expected COLUMN=value, got '" + words[i] + "'");
                }
                String column = words[i].substring(0, eq);
                if (cells.put(column, words[i].substring(eq + 1)) != null) {
                    throw new IllegalArgumentException(where + ": column " + column + " given twice");
                }
            }
            StringBuilder sb = new StringBuilder(label);
            for (TableLayout.Column col : layout.columns()) {
                String text = cells.remove(col.name());
                sb.append(' ').append(col.name()).append('=')
                        .append(text == null ? "<not given>" : canonicalExpected(text, col.type(), where));
            }
            if (!cells.isEmpty()) {
                throw new IllegalArgumentException(where + ": table " + table + " has no column(s) " + cells.keySet());
            }
            return sb.toString();
        }

        /** quality LABEL COLUMN raw=w1,w2 value=v rule=text */
        private static String quality(String line, String where) {
            String[] w = line.split("\\s+", 6);
            if (w.length < 6 || !w[3].startsWith("raw=") || !w[4].startsWith("value=") || !w[5].startsWith("rule=")) {
                throw new IllegalArgumentException(where + ": expected quality TABLE[KEY] COLUMN raw=.. value=.. rule=..");
            }
            String raw = java.util.Arrays.stream(w[3].substring(4).split(","))
                    .map(s -> String.format(Locale.ROOT, "0x%04X", parseWord(s, where))).collect(Collectors.joining(","));
            String value = Double.toString(Double.parseDouble(w[4].substring(6)));
            return "quality " + w[1] + " " + w[2] + " raw=" + raw + " value=" + value + " rule=" + w[5].substring(5);
        }

        /** gap TABLE missing=n reason=text */
        private static String gap(String line, String where) {
            String[] w = line.split("\\s+", 4);
            if (w.length < 4 || !w[2].startsWith("missing=") || !w[3].startsWith("reason=")) {
                throw new IllegalArgumentException(where + ": expected gap TABLE missing=N reason=..");
            }
            return "gap " + w[1] + " missing=" + Integer.parseInt(w[2].substring(8)) + " reason=" + w[3].substring(7);
        }
    }
}
