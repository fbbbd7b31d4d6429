package org.openess.gateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The documentation against the code, with no service started: every {@code ess.*} and
 * {@code quarkus.*} key that README.md and docs/*.md name exists (as SmallRye Config enumerates
 * EssConfig and the Quarkus roots, see {@link ConfigKeys}); every default a table gives for an
 * {@code ess.*} key is the code's; every key of EssConfig is in docs/configuration.md; the links
 * between the pages resolve; the README stays short.
 */
@Tag("unit")
class DocumentedKeysTest {
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path README = ROOT.resolve("README.md");
    static final Path CONFIGURATION = ROOT.resolve("docs/configuration.md");
    static final int README_MAX_LINES = 300;

    private static ConfigKeys keys;
    private static List<MarkdownPage> pages;

    @BeforeAll
    static void load() throws IOException {
        keys = ConfigKeys.load();
        pages = new ArrayList<>();
        pages.add(MarkdownPage.read(README));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(p -> pages.add(MarkdownPage.read(p)));
        }
        assertTrue(pages.stream().anyMatch(p -> p.file().equals(CONFIGURATION)), "docs/configuration.md is missing");
    }

    @Test
    void everyDocumentedKeyExists() {
        List<String> problems = new ArrayList<>();
        int seen = 0;
        for (MarkdownPage page : pages) {
            seen += page.keys().size();
            problems.addAll(unknownKeys(page));
        }
        assertTrue(seen > 100, "only " + seen + " keys found in the pages: the scanner is not reading them");
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyDocumentedDefaultIsTheCodes() {
        List<String> problems = new ArrayList<>();
        int compared = 0;
        for (MarkdownPage page : pages) {
            compared += defaultProblems(page, problems);
        }
        assertTrue(compared > 40, "only " + compared + " documented defaults compared: the tables are not read");
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyEssKeyIsInTheConfigurationPage() {
        Set<String> documented = new HashSet<>();
        for (MarkdownPage.NamedKey named : MarkdownPage.read(CONFIGURATION).keys()) {
            if (!named.prefix()) {
                keys.property(named.name()).ifPresent(k -> documented.add(listAsWhole(k.pattern())));
            }
        }
        List<String> missing = keys.essKeys().stream().map(k -> listAsWhole(k.pattern())).filter(p -> !documented.contains(p)).distinct()
                .toList();
        assertTrue(keys.essKeys().size() > 50, "only " + keys.essKeys().size() + " ess.* keys in EssConfig");
        assertTrue(missing.isEmpty(), "keys of EssConfig not in docs/configuration.md: " + missing);
    }

    @Test
    void everyLinkBetweenThePagesResolves() {
        List<String> problems = new ArrayList<>();
        int docsLinks = 0;
        for (MarkdownPage page : pages) {
            for (String link : page.relativeLinks()) {
                String file = link.contains("#") ? link.substring(0, link.indexOf('#')) : link;
                String anchor = link.contains("#") ? link.substring(link.indexOf('#') + 1) : "";
                Path target = file.isEmpty() ? page.file() : page.file().getParent().resolve(file).normalize();
                if (page.file().equals(README) && file.startsWith("docs/") && file.endsWith(".md")) {
                    docsLinks++;
                }
                if (!Files.exists(target)) {
                    problems.add(ROOT.relativize(page.file()) + ": link " + link + ": no file " + ROOT.relativize(target));
                } else if (!anchor.isEmpty() && target.toString().endsWith(".md") && !MarkdownPage.read(target).anchors().contains(anchor)) {
                    problems.add(ROOT.relativize(page.file()) + ": link " + link + ": no heading with that anchor in " + ROOT.relativize(target));
                }
            }
        }
        assertTrue(docsLinks >= 9, "README.md links " + docsLinks + " docs pages, expected every one of them");
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void theReadmeIsShort() {
        int lines = MarkdownPage.read(README).lineCount();
        assertTrue(lines <= README_MAX_LINES, "README.md has " + lines + " lines; the reference belongs in docs/");
    }

    /** The checks must be able to fail: a page naming a key the code does not have, and a wrong default. */
    @Test
    void aStaleKeyAndAWrongDefaultAreFound() {
        MarkdownPage stale = MarkdownPage.of("stale.md", String.join("\n",
                "Set `ess.storage.flush-every` and `ess.devices.\"<id>\".host`, or `ess.nothing.*`.",
                "",
                "| key | default | meaning |",
                "|---|---|---|",
                "| `ess.storage.batch-rows` | `4000` | rows per INSERT |",
                "| `ess.storage.max-in-flight` | `4` | statements |",
                "| `ess.spool.dir` | `/var/spool` | the folder |",
                "| `ess.storage.retry-max` | unset | backoff |",
                "",
                "```properties",
                "quarkus.datasource.reactive.urll=postgresql://db/x",
                "```"));
        assertEquals(List.of("stale.md:1: ess.storage.flush-every is not a configuration key",
                "stale.md:1: no key starts with ess.nothing.",
                "stale.md:11: quarkus.datasource.reactive.urll is not a configuration key"), unknownKeys(stale));
        List<String> problems = new ArrayList<>();
        assertEquals(4, defaultProblems(stale, problems));
        assertEquals(List.of("stale.md:5: ess.storage.batch-rows: documented default 4000, the code's 1000",
                "stale.md:7: ess.spool.dir: documented default /var/spool, the code has none",
                "stale.md:8: ess.storage.retry-max: documented without a default, the code's 15s"), problems);
    }

    /** A list key and its elements ({@code ess.sunspec.bases}, {@code ess.sunspec.bases[*]}) are documented together. */
    private static String listAsWhole(String pattern) {
        return pattern.replace("[*]", "");
    }

    private static List<String> unknownKeys(MarkdownPage page) {
        List<String> problems = new ArrayList<>();
        for (MarkdownPage.NamedKey named : page.keys()) {
            String where = name(page) + ":" + named.line() + ": ";
            if (named.prefix()) {
                if (!keys.anyStartingWith(named.name())) {
                    problems.add(where + "no key starts with " + named.name());
                }
            } else if (keys.property(named.name()).isEmpty() && !keys.anyStartingWith(named.name() + ".")) {
                // a group's name (`ess.devices`, `ess.archive.gcs`) is fine; anything else must be a key
                problems.add(where + named.name() + " is not a configuration key");
            }
        }
        return problems;
    }

    /** Compares the default column of every table row keyed by an ess.* key; returns how many rows it compared. */
    private static int defaultProblems(MarkdownPage page, List<String> problems) {
        int compared = 0;
        for (MarkdownPage.Row row : page.tableRows()) {
            Optional<String> cell = row.cell("default");
            Optional<String> name = row.cell("key").flatMap(MarkdownPage::firstKey);
            if (cell.isEmpty() || name.isEmpty() || !name.get().startsWith("ess.")) {
                continue;
            }
            Optional<ConfigKeys.Key> key = keys.property(name.get());
            if (key.isEmpty()) {
                continue; // reported by everyDocumentedKeyExists
            }
            compared++;
            String where = name(page) + ":" + row.line() + ": " + name.get() + ": ";
            Optional<String> documented = MarkdownPage.leadingCode(cell.get());
            Optional<String> code = key.get().defaultValue();
            if (documented.isPresent() && code.isEmpty()) {
                problems.add(where + "documented default " + documented.get() + ", the code has none");
            } else if (documented.isEmpty() && code.isPresent()) {
                problems.add(where + "documented without a default, the code's " + code.get());
            } else if (documented.isPresent() && !documented.get().equals(code.get())) {
                problems.add(where + "documented default " + documented.get() + ", the code's " + code.get());
            }
        }
        return compared;
    }

    private static String name(MarkdownPage page) {
        Path file = page.file();
        return file.isAbsolute() ? ROOT.relativize(file).toString() : file.toString();
    }
}
