package org.openess.gateway.sunspec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.decode.DecodedRow;
import org.openess.gateway.decode.QualityEvent;
import org.openess.gateway.decode.RegisterSnapshot;
import org.openess.gateway.plan.PlanLimits;
import org.openess.gateway.plan.ReadRequest;
import org.openess.gateway.profile.SqlType;
import org.openess.gateway.profile.TableLayout;
import org.openess.gateway.testsupport.UnitTest;
import org.openess.gateway.testsupport.UpstreamSunSpecModels;

import io.vertx.core.Vertx;

/**
 * SunSpec golden cases, in the manner of the profile cases: every folder under
 * {@code src/test/resources/testcases/sunspec/} is a device's register image ({@code chain.txt})
 * served by the simulator's Modbus server and read by the gateway's Modbus client over loopback:
 * discovery walks the chain, the layout is planned, one cycle is read and decoded. See the
 * folder's README for the file formats.
 */
@UnitTest
class SunSpecCasesTest {
    private static final String ROOT = "testcases/sunspec";
    private static final long TICK = 1_700_000_000_000L;
    private static final Pattern TOKEN = Pattern.compile("\"([^\"]*)\"(?:/(\\d+))?|(\\S+)");
    private static final Pattern CELL = Pattern.compile("([A-Za-z0-9_]+)=(\"[^\"]*\"|\\S+)");

    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @TestFactory
    Stream<DynamicTest> sunspecCases() throws Exception {
        URL url = getClass().getClassLoader().getResource(ROOT);
        if (url == null) {
            fail("no test case folder " + ROOT);
        }
        List<Path> cases;
        try (Stream<Path> s = Files.list(Path.of(url.toURI()))) {
            cases = s.filter(Files::isDirectory).sorted().toList();
        }
        assertTrue(cases.size() >= 6, "expected the SunSpec cases, found " + cases.size());
        return cases.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> run(dir)));
    }

    private static void run(Path dir) throws Exception {
        Map<Integer, Integer> registers = parseChain(dir.resolve("chain.txt"));
        SunSpecModels models = Files.isDirectory(dir.resolve("models")) ? SunSpecModels.load(dir.resolve("models"))
                : Files.exists(dir.resolve("models-dir.txt")) ? modelsDir(dir.resolve("models-dir.txt")) : SunSpecModels.builtin();
        List<Integer> bases = Files.exists(dir.resolve("bases.txt"))
                ? Arrays.stream(Files.readString(dir.resolve("bases.txt")).strip().split(",")).map(String::strip).map(Integer::parseInt).toList()
                : SunSpecSupport.DEFAULT_BASES;
        int maxRegisters = Files.exists(dir.resolve("max-registers.txt"))
                ? Integer.parseInt(Files.readString(dir.resolve("max-registers.txt")).strip()) : 125;
        PlanLimits limits = new PlanLimits(maxRegisters, PlanLimits.MODBUS_MAX_BITS, maxRegisters);
        SunSpecSession session = new SunSpecSession(new SunSpecSupport(models, bases, new SunSpecProfiles()), "site-1", limits);
        try (ModbusClientHarness h = new ModbusClientHarness(vertx, new StaticRegisters(registers))) {
            Path error = dir.resolve("expected-error.txt");
            if (Files.exists(error)) {
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> h.await(c -> session.discover(h.reader(), c.connects())), "discovery of " + dir + " succeeded");
                assertTrue(e.getCause() instanceof SunSpecException, () -> "not a SunSpecException: " + e.getCause());
                String message = e.getCause().getMessage();
                for (String part : meaningfulLines(error)) {
                    assertTrue(message.contains(part), () -> "message lacks \"" + part + "\":\n  " + message);
                }
                assertEquals("failed", session.status().state());
                assertEquals(message, session.status().error());
                return;
            }
            SunSpecProfiles.Compiled compiled = h.await(c -> session.discover(h.reader(), c.connects()));
            List<String> layout = new ArrayList<>();
            layout.add("layout " + compiled.layout().describe());
            compiled.decoder().plan().reads().forEach(r -> layout.add("read " + r.start() + "+" + r.count()));
            assertEquals(String.join("\n", meaningfulLines(dir.resolve("expected-layout.txt"))), String.join("\n", layout),
                    "layout of " + dir);
            assertEquals("polling", session.status().state());
            assertEquals(compiled.layout().fingerprint(), session.status().fingerprint());

            RegisterSnapshot snapshot = new RegisterSnapshot(compiled.decoder().plan());
            for (ReadRequest read : compiled.decoder().plan().reads()) {
                assertTrue(read.count() <= maxRegisters, "read " + read + " longer than " + maxRegisters);
                snapshot.succeeded(read.index(), h.await(c -> c.read(1, read, 2000)));
            }
            CycleOutput out = compiled.decoder().decode("site-1", TICK, snapshot);
            List<String> actual = new ArrayList<>();
            out.rows().forEach(r -> actual.add(render(r)));
            out.quality().forEach(q -> actual.add(render(q)));
            out.gaps().forEach(g -> actual.add("gap " + g.table() + " missing=" + g.missingRows() + " reason=" + g.reason()));
            List<String> expected = expectedRows(dir.resolve("expected-rows.txt"), compiled.layouts());
            assertEquals(String.join("\n", expected), String.join("\n", actual), "rows of " + dir);
        }
    }

    /** {@code models-dir.txt}: a models folder outside the project; only the upstream json/ folder is used so. */
    private static SunSpecModels modelsDir(Path file) throws IOException {
        String text = Files.readString(file).strip();
        if (!text.equals(UpstreamSunSpecModels.RELATIVE)) {
            throw new IllegalArgumentException(file + ": expected " + UpstreamSunSpecModels.RELATIVE + ", got " + text);
        }
        SunSpecModels models = SunSpecModels.load(UpstreamSunSpecModels.folder());
        assertEquals(List.of(), models.rejected(), "the upstream folder loads whole");
        return models;
    }

    // ---------------------------------------------------------------- chain.txt

    /** {@code ADDRESS: tokens}; tokens are words (decimal or 0x hex), {@code W*N} (N times), {@code "text"/N} (ASCII in N registers). */
    static Map<Integer, Integer> parseChain(Path file) throws IOException {
        Map<Integer, Integer> regs = new TreeMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            int hash = line.indexOf('#');
            if (hash >= 0 && line.lastIndexOf('"', hash) < 0) {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = file.getFileName() + ":" + (n + 1);
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException(where + ": expected ADDRESS: words");
            }
            int address = word(line.substring(0, colon).strip(), where);
            Matcher m = TOKEN.matcher(line.substring(colon + 1));
            while (m.find()) {
                if (m.group(1) != null) {
                    byte[] text = m.group(1).getBytes(StandardCharsets.US_ASCII);
                    int size = m.group(2) != null ? Integer.parseInt(m.group(2)) : (text.length + 1) / 2;
                    for (int i = 0; i < size; i++) {
                        int hi = 2 * i < text.length ? text[2 * i] & 0xFF : 0;
                        int lo = 2 * i + 1 < text.length ? text[2 * i + 1] & 0xFF : 0;
                        regs.put(address++, (hi << 8) | lo);
                    }
                } else {
                    String t = m.group(3);
                    int star = t.indexOf('*');
                    int times = star < 0 ? 1 : Integer.parseInt(t.substring(star + 1));
                    int v = word(star < 0 ? t : t.substring(0, star), where);
                    for (int i = 0; i < times; i++) {
                        regs.put(address++, v);
                    }
                }
            }
        }
        return regs;
    }

    private static int word(String text, String where) {
        int v;
        try {
            v = text.startsWith("0x") ? Integer.parseInt(text.substring(2), 16) : Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": '" + text + "' is not a number", e);
        }
        if (v < -32768 || v > 0xFFFF) {
            throw new IllegalArgumentException(where + ": " + text + " does not fit a register");
        }
        return v & 0xFFFF;
    }

    // ---------------------------------------------------------------- rows

    private static String label(TableLayout layout, DecodedRow row) {
        StringBuilder sb = new StringBuilder(layout.table()).append('#').append(row.value(SunSpecProfiles.MODEL_INDEX));
        for (TableLayout.Column c : layout.columns()) {
            if (c.kind() == TableLayout.ColumnKind.CONSTANT && !c.name().equals(SunSpecProfiles.MODEL_INDEX)) {
                sb.append('/').append(row.value(c.name())); // the outer index of a nested group's row
            }
        }
        for (TableLayout.Column c : layout.columns()) {
            if (c.kind() == TableLayout.ColumnKind.GROUP_KEY) {
                sb.append('[').append(row.value(c.name())).append(']');
            }
        }
        return sb.toString();
    }

    private static String render(DecodedRow row) {
        TableLayout layout = row.layout();
        StringBuilder sb = new StringBuilder(label(layout, row));
        for (int c = 0; c < layout.width(); c++) {
            TableLayout.Column col = layout.columns().get(c);
            if (col.kind() != TableLayout.ColumnKind.POINT) {
                continue;
            }
            Object v = row.value(c);
            sb.append(' ').append(col.name()).append('=').append(v == null ? "NULL"
                    : col.type() == SqlType.TEXT ? "\"" + v + "\"" : v.toString());
        }
        return sb.toString();
    }

    private static String render(QualityEvent q) {
        String raw = Arrays.stream(q.raw()).mapToObj(w -> String.format(Locale.ROOT, "0x%04X", w)).collect(Collectors.joining(","));
        return "quality " + q.table() + "[" + q.groupKey() + "] " + q.column() + " raw=" + raw + " value=" + q.value() + " rule="
                + q.rule();
    }

    /**
     * {@code table#MODEL_INDEX[GROUP_KEY] COL=value ...} (a nested group's row:
     * {@code table#MODEL_INDEX/OUTER_INDEX[GROUP_KEY]}) with every point column; "+ " continues a line.
     */
    private static List<String> expectedRows(Path file, Map<String, TableLayout> layouts) throws IOException {
        List<String> joined = new ArrayList<>();
        for (String line : meaningfulLines(file)) {
            if (line.startsWith("+ ")) {
                joined.set(joined.size() - 1, joined.get(joined.size() - 1) + " " + line.substring(2));
            } else {
                joined.add(line);
            }
        }
        List<String> out = new ArrayList<>();
        for (String line : joined) {
            if (line.startsWith("quality ") || line.startsWith("gap ")) {
                out.add(line);
                continue;
            }
            String label = line.split("\\s+", 2)[0];
            String table = label.replaceAll("[#\\[].*", "");
            TableLayout layout = layouts.get(table);
            if (layout == null) {
                throw new IllegalArgumentException(file.getFileName() + ": no table '" + table + "' in " + layouts.keySet());
            }
            Map<String, String> cells = new LinkedHashMap<>();
            Matcher m = CELL.matcher(line.substring(label.length()));
            while (m.find()) {
                if (cells.put(m.group(1), m.group(2)) != null) {
                    throw new IllegalArgumentException(file.getFileName() + ": " + m.group(1) + " given twice in " + label);
                }
            }
            StringBuilder sb = new StringBuilder(label);
            for (TableLayout.Column c : layout.columns()) {
                if (c.kind() != TableLayout.ColumnKind.POINT) {
                    continue;
                }
                String text = cells.remove(c.name());
                sb.append(' ').append(c.name()).append('=').append(text == null ? "<not given>" : canonical(text, c.type()));
            }
            if (!cells.isEmpty()) {
                throw new IllegalArgumentException(file.getFileName() + ": table " + table + " has no column(s) " + cells.keySet());
            }
            out.add(sb.toString());
        }
        return out;
    }

    private static String canonical(String text, SqlType type) {
        if (text.equals("NULL")) {
            return text;
        }
        return switch (type) {
            case FLOAT8 -> Double.toString(Double.parseDouble(text));
            case INT4 -> Integer.toString(Integer.parseInt(text));
            case INT8 -> Long.toString(Long.parseLong(text));
            case BOOL -> text;
            case TEXT -> text;
        };
    }

    private static List<String> meaningfulLines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }
}
