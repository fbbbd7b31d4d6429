package org.openess.gateway.storage.spool;

import org.openess.gateway.config.WhenFull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openess.gateway.testsupport.RootTest;

/**
 * A spool on a real, tiny tmpfs: the disk fills up, cycles go to the memory buffer and nothing is
 * lost; the filesystem grows (remount) and the spool takes cycles again. Needs mount rights (root,
 * as in this project's CI and container); without them the test fails saying so.
 */
@RootTest
class SpoolDiskFullTest {
    @TempDir
    Path tmp;
    Path mount;

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed (this test mounts a tmpfs and needs root): " + out);
        }
    }

    @BeforeEach
    void mountTinyFilesystem() throws Exception {
        mount = tmp.resolve("disk");
        Files.createDirectories(mount);
        run("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mount.toString());
    }

    @AfterEach
    void unmount() throws Exception {
        run("umount", "-l", mount.toString());
    }

    @Test
    void aFullDiskSendsCyclesToMemoryAndTheSpoolComesBackWhenThereIsRoom() throws Exception {
        SpoolRowBuffer.Settings s = SpoolFixture.settings(mount.resolve("spool"), 64 << 20, 64 << 10, WhenFull.DROP_OLDEST);
        SpoolRowBuffer b = SpoolFixture.open(s);
        SpoolFixture.offer(b, 0, 300); // ~300 × 2 KB: more than 256 KiB
        long deadline = System.currentTimeMillis() + 10_000;
        while (!b.status().fallback() && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(b.status().fallback(), "disk full noticed: " + b.status());
        assertTrue(b.status().fallbackReason().contains("No space left"), b.status().fallbackReason());
        Thread.sleep(200);
        assertTrue(b.status().memoryBuffered() > 0, "cycles wait in memory: " + b.status());

        // polling goes on while the disk is full
        SpoolFixture.offer(b, 300, 20);
        run("mount", "-o", "remount,size=64m", mount.toString());
        deadline = System.currentTimeMillis() + 15_000;
        while (b.status().fallback() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertFalse(b.status().fallback(), "writable again within a probe period: " + b.status());
        long onDisk = b.status().records();
        SpoolFixture.offer(b, 320, 30);
        deadline = System.currentTimeMillis() + 5_000;
        while (b.status().records() < onDisk + 30 && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(onDisk + 30, b.status().records(), "new cycles go to disk again");

        // nothing was lost: every cycle is either on disk or in memory, and the writer gets each once
        SpoolFixture.Drained d = SpoolFixture.drain(b, 1_500);
        assertEquals(SpoolFixture.ticks(0, 350), d.ticks);
        assertEquals(350, d.tickList.size());
        assertEquals(0, b.counters().rowsDropped() + b.fallbackCounters().rowsDropped());
        b.close(5_000);
    }
}
