package org.openess.gateway.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.TestDatabase;

/**
 * The parallel archive job's split of the sites: every site to exactly one task, whatever the
 * task count, independent of which other sites exist; and, against a real TimescaleDB, the
 * archive run of each task writes exactly its own sites' files.
 */
@DbTest
class SiteShardTest {
    private static TestDatabase db;

    @TempDir
    Path dir;

    @BeforeAll
    static void createDatabase() {
        db = ArchiveFixture.databaseWithSchema("site_shard");
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    private static List<String> sites(int n) {
        return IntStream.range(0, n).mapToObj(i -> "site-" + i).toList();
    }

    @Test
    void everySiteBelongsToExactlyOneTask() {
        for (int count : new int[] { 1, 2, 3, 7, 16 }) {
            for (String site : sites(500)) {
                int owners = 0;
                for (int i = 0; i < count; i++) {
                    owners += new SiteShard(i, count).owns(site) ? 1 : 0;
                }
                assertEquals(1, owners, site + " with " + count + " tasks");
            }
        }
    }

    @Test
    void aSiteKeepsItsTaskWhenOtherSitesComeAndGo() {
        // the task of a site is a function of its id and the task count only (no list of sites goes
        // in), so another site appearing between two tasks' queries cannot move it. Pinned values: the rule is CRC-32 of the id modulo the task count; changing it would
        // move every site's logs and retries to another task
        assertEquals(List.of(3, 1, 3, 3, 1), List.of("site-0", "site-1", "KETI-op1", "a", "b").stream()
                .map(s -> SiteShard.taskOf(s, 4)).toList());
    }

    @Test
    void sharesAreRoughlyEvenForManySites() {
        int[] perTask = new int[4];
        sites(1000).forEach(s -> perTask[SiteShard.taskOf(s, 4)]++);
        for (int n : perTask) {
            assertTrue(n > 200 && n < 300, "share " + n + " of 1000 sites over 4 tasks");
        }
    }

    @Test
    void environmentWithoutCloudRunVariablesOwnsEverySite() {
        assertEquals(SiteShard.ALL, SiteShard.fromEnvironment(Map.of()));
        assertEquals(new SiteShard(2, 5), SiteShard.fromEnvironment(Map.of("CLOUD_RUN_TASK_INDEX", "2", "CLOUD_RUN_TASK_COUNT", "5")));
    }

    @Test
    void badEnvironmentNamesTheVariable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SiteShard.fromEnvironment(Map.of("CLOUD_RUN_TASK_INDEX", "x", "CLOUD_RUN_TASK_COUNT", "2")));
        assertEquals("archive: CLOUD_RUN_TASK_INDEX must be a whole number, got 'x'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SiteShard.fromEnvironment(Map.of("CLOUD_RUN_TASK_INDEX", "3", "CLOUD_RUN_TASK_COUNT", "3")));
        assertTrue(e.getMessage().contains("must be in 0..2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SiteShard.fromEnvironment(Map.of("CLOUD_RUN_TASK_COUNT", "3")));
        assertTrue(e.getMessage().contains("CLOUD_RUN_TASK_INDEX is not set"), e.getMessage());
    }

    @Test
    void eachTaskOfAParallelArchiveWritesExactlyItsOwnSites() throws Exception {
        List<String> all = sites(12);
        for (String site : all) {
            db.execute(ArchiveFixture.rackRow(site, "2026-11-26T12:00:00+09:00", 1, 50.0, 800.0));
        }
        int count = 3;
        Set<String> archived = new HashSet<>();
        for (int index = 0; index < count; index++) {
            SiteShard shard = new SiteShard(index, count);
            Path out = dir.resolve("task-" + index);
            List<String> done = new ArrayList<>();
            try (Archiver a = Archiver.open(ArchiveFixture.local(out, "Asia/Seoul", false, 30), ArchiveFixture.settingsOf(db))
                    .shard(shard)) {
                for (SiteDayResult r : a.archiveRange(LocalDate.parse("2026-11-26"), LocalDate.parse("2026-11-26"), Optional.empty(),
                        new ArchiveListener() {
                        })) {
                    assertTrue(r.ok(), r.toString());
                    done.add(r.site());
                    assertTrue(Files.exists(out.resolve(ObjectLayout.manifestObject(r.site(), LocalDate.parse("2026-11-26")))));
                }
            }
            assertEquals(all.stream().filter(shard::owns).sorted().toList(), done.stream().sorted().toList(), shard.toString());
            for (String s : done) {
                assertTrue(archived.add(s), s + " archived by two tasks");
            }
        }
        assertEquals(new HashSet<>(all), archived, "every site archived by some task");
    }
}
