package org.openess.gateway.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openess.gateway.decode.CycleDecoder;
import org.openess.gateway.profile.ProfileLoader;
import org.openess.gateway.storage.SchemaManager;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.TlsDatabase;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import io.vertx.sqlclient.Pool;

/**
 * The archive command against a role that the server admits over TLS only, configured with the
 * standard keys a managed-database quick start gives ({@code ?sslmode=require} and
 * {@code trust-all}): the COPY connection follows them, and the password is in no output.
 */
@QuarkusMainTest
@TestProfile(ArchiveCommandTlsTest.RequireTls.class)
@DbTest
class ArchiveCommandTlsTest {

    public static class RequireTls implements QuarkusTestProfile {
        static final TlsDatabase DB = withSchema(TlsDatabase.create("archive_tls"));
        static final Path DIR;

        static {
            try {
                DIR = Files.createTempDirectory("archive-tls");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> c = new HashMap<>(DB.requireTrustAllConfig());
            c.put("ess.archive.target", "file:" + DIR);
            c.put("ess.archive.zone", "Asia/Seoul");
            return c;
        }
    }

    /** The gateway's tables, created by the TLS-only role itself over TLS (so that it owns them). */
    static TlsDatabase withSchema(TlsDatabase db) {
        Vertx vertx = Vertx.vertx();
        try {
            PgConnectOptions o = PgConnectOptions.fromUri(db.url("")).setUser(TlsDatabase.USER).setPassword(TlsDatabase.PASSWORD)
                    .setSslMode(SslMode.REQUIRE);
            o.setTrustAll(true);
            Pool pool = PgBuilder.pool().connectingTo(o).using(vertx).build();
            new SchemaManager(true, java.time.Duration.ofDays(1))
                    .apply(pool, List.copyOf(CycleDecoder.layoutsOf(ProfileLoader.load("operation1")).values()))
                    .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            pool.close();
            return db;
        } catch (Exception e) {
            db.close();
            throw new IllegalStateException("cannot create the schema over TLS: " + e, e);
        } finally {
            vertx.close();
        }
    }

    @AfterAll
    static void dropDatabase() {
        RequireTls.DB.close();
    }

    @Test
    void writesTheFilesOverTls(io.quarkus.test.junit.main.QuarkusMainLauncher launcher) {
        LocalDate yesterday = LocalDate.now(ZoneId.of("Asia/Seoul")).minusDays(1);
        RequireTls.DB.admin().execute(ArchiveFixture.rackRow("tls-site", yesterday + "T00:00:00+09:00", 1, 1.0, 2.0));
        RequireTls.DB.admin().execute(ArchiveFixture.rackRow("tls-site", yesterday + "T00:00:01+09:00", 1, 1.5, 2.5));

        LaunchResult r = launcher.launch("archive", "--date", yesterday.toString());
        String all = r.getOutput() + "\n" + r.getErrorOutput();
        assertEquals(0, r.exitCode(), all);
        assertTrue(Files.exists(RequireTls.DIR.resolve(ObjectLayout.tableObject("tls-site", yesterday, "rack", false))), all);
        assertTrue(Files.exists(RequireTls.DIR.resolve(ObjectLayout.manifestObject("tls-site", yesterday))), all);
        assertTrue(r.getOutput().contains("2 row(s)"), all);
        assertTrue(all.contains("database: ess_tls@127.0.0.1:55432/" + RequireTls.DB.name() + ", sslmode require, pool of up to 20"), all);
        assertFalse(all.contains(TlsDatabase.PASSWORD), "the password is in the output:\n" + all);
    }
}
