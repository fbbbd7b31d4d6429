package org.openess.gateway.archive;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.TlsDatabase;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;

/** The TLS-only role without TLS settings: refused, and the message says by whom and why. */
@QuarkusMainTest
@TestProfile(ArchiveCommandTlsRefusedTest.NoTls.class)
@DbTest
class ArchiveCommandTlsRefusedTest {

    public static class NoTls implements QuarkusTestProfile {
        static final TlsDatabase DB = TlsDatabase.create("archive_notls");

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> c = new HashMap<>(DB.plainConfig());
            c.put("ess.archive.target", "file:" + System.getProperty("java.io.tmpdir") + "/archive-notls");
            // a pool setting the JDBC connection cannot follow: start-up says so
            c.put("quarkus.datasource.reactive.reconnect-attempts", "1");
            return c;
        }
    }

    @AfterAll
    static void dropDatabase() {
        NoTls.DB.close();
    }

    @Test
    @Launch(value = { "archive", "--date", "2026-01-01" }, exitCode = 1)
    void isRefusedWithTheServersReason(LaunchResult r) {
        CommandFailures.assertFails(r, "cannot connect to the database " + TlsDatabase.USER + "@127.0.0.1:55432/" + NoTls.DB.name()
                + " (sslmode=disable)");
        CommandFailures.assertFails(r, "pg_hba.conf rejects connection");
        CommandFailures.assertFails(r, "no encryption");
        String all = r.getOutput() + r.getErrorOutput();
        assertFalse(all.contains(TlsDatabase.PASSWORD));
        assertTrue(all.contains("WARN") && all.contains("quarkus.datasource.reactive.reconnect-attempts has no equivalent for the "
                + "archive's JDBC connection"), all);
    }
}
