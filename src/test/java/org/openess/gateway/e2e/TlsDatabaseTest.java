package org.openess.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.openess.gateway.storage.Storage;
import org.openess.gateway.service.GatewayService;
import org.openess.gateway.testsupport.CapturedLog;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.Provisioned;
import org.openess.gateway.testsupport.RunningGateway;
import org.openess.gateway.testsupport.SimulatedSite;
import org.openess.gateway.testsupport.TlsDatabase;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The service against a role that the server admits over TLS only (as managed TimescaleDB and
 * Cloud SQL do), configured with standard Quarkus keys only: sslmode=verify-full in the URL,
 * the CA as trust-certificate-pem, credentials in username/password. Rows arrive, every session
 * of the role is encrypted, and the password is in no log message.
 */
@QuarkusTest
@SimulatedSite(database = "e2e_tls", link = SimulatedSite.Link.TLS_VERIFY_FULL, devices = "tls-site=0")
@DbTest
class TlsDatabaseTest {

    @Inject
    GatewayService gateway;
    @Inject
    Storage storage;
    @Provisioned
    TlsDatabase db;

    @Test
    void storesRowsOverTls() {
        storesRowsOverTls(gateway, storage, db);
    }

    /** Starts the gateway, waits for rows, checks that the role's sessions are all encrypted and that no log line has the password. */
    static void storesRowsOverTls(GatewayService gateway, Storage storage, TlsDatabase db) {
        try (CapturedLog log = CapturedLog.start()) {
            try (RunningGateway running = RunningGateway.start(gateway, Duration.ofSeconds(5))) {
                running.awaitRows(db.admin(), "rack", 16, Duration.ofSeconds(30));
                assertTrue(db.encryptedSessions() >= 1, "no encrypted session of " + TlsDatabase.USER);
                assertEquals(0, db.admin().count("SELECT count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) "
                        + "WHERE a.usename = '" + TlsDatabase.USER + "' AND NOT s.ssl"));
                assertTrue(storage.hypertables(), "TimescaleDB over TLS: hypertables");
            }
            assertFalse(log.all().contains(TlsDatabase.PASSWORD), "the password is in the log:\n" + log.all());
        }
    }
}
