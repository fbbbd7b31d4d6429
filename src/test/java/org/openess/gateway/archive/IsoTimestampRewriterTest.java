package org.openess.gateway.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.openess.gateway.testsupport.UnitTest;

/** The rewrite of the first CSV field, fed in every possible split of the input. */
@UnitTest
class IsoTimestampRewriterTest {

    private static String rewrite(String csv, int chunk) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] in = csv.getBytes(StandardCharsets.UTF_8);
        try (IsoTimestampRewriter w = new IsoTimestampRewriter(out)) {
            for (int i = 0; i < in.length; i += chunk) {
                w.write(in, i, Math.min(chunk, in.length - i));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void rewritesOnlyTheFirstFieldOfDataRows() throws IOException {
        String in = "TIMESTAMP,SITE_ID,reason\n"
                + "2026-11-26 00:00:00+09,\"site, \"\"A\"\"\",\"line one\n2026-11-26 00:00:00+09 is not a row start\"\n"
                + "2026-11-26 00:00:00.25+09,s,\n"
                + "2026-11-25 20:30:00.123456+05:30,s,x\n"
                + "2026-10-24 22:00:00-02:30,s,\"\"\n"
                + "2026-03-29 03:00:00-03,s,\"a\nb\"\n";
        String want = "TIMESTAMP,SITE_ID,reason\n"
                + "2026-11-26T00:00:00+09:00,\"site, \"\"A\"\"\",\"line one\n2026-11-26 00:00:00+09 is not a row start\"\n"
                + "2026-11-26T00:00:00.25+09:00,s,\n"
                + "2026-11-25T20:30:00.123456+05:30,s,x\n"
                + "2026-10-24T22:00:00-02:30,s,\"\"\n"
                + "2026-03-29T03:00:00-03:00,s,\"a\nb\"\n";
        for (int chunk = 1; chunk <= in.length(); chunk++) {
            assertEquals(want, rewrite(in, chunk), "chunk size " + chunk);
        }
    }

    @Test
    void aSingleColumnTableAndAnEmptyDay() throws IOException {
        assertEquals("ts\n2026-11-26T00:00:00+00:00\n", rewrite("ts\n2026-11-26 00:00:00+00\n", 7));
        assertEquals("TIMESTAMP,SITE_ID\n", rewrite("TIMESTAMP,SITE_ID\n", 3));
    }

    @Test
    void refusesAFirstColumnThatIsNoTimestamp() {
        assertThrows(IOException.class, () -> rewrite("h\n" + "x".repeat(100) + "\n", 10));
    }
}
