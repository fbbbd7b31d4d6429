package org.openess.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openess.gateway.GatewayService;
import org.openess.gateway.testsupport.CapturedLog;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.FreePorts;
import org.openess.gateway.testsupport.SimulatedDevices;
import org.openess.gateway.testsupport.TlsDatabase;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The service against a role that the server admits over TLS only (as managed TimescaleDB and
 * Cloud SQL do), configured with standard Quarkus keys only: sslmode=verify-full in the URL,
 * the CA as trust-certificate-pem, credentials in username/password. Rows arrive, every session
 * of the role is encrypted, and the password is in no log message.
 */
@QuarkusTest
@QuarkusTestResource(value = TlsDatabaseTest.Resource.class, restrictToAnnotatedClass = true)
@DbTest
class TlsDatabaseTest {

    public static class Resource implements QuarkusTestResourceLifecycleManager {
        static TlsDatabase db;

        @Override
        public Map<String, String> start() {
            db = TlsDatabase.create("e2e_tls");
            return withSimulatedDevice(db.verifyFullConfig());
        }

        @Override
        public void stop() {
            db.close();
        }
    }

    /** The database keys plus one simulated operation1 device. */
    static Map<String, String> withSimulatedDevice(Map<String, String> database) {
        int port = FreePorts.consecutive(1);
        Map<String, String> c = SimulatedDevices.withSimulator(database, port);
        SimulatedDevices.device(c, "tls-site", port);
        return c;
    }

    @Inject
    GatewayService gateway;

    @Test
    void storesRowsOverTls() {
        storesRowsOverTls(gateway, Resource.db);
    }

    /** Starts the gateway, waits for rows, checks that the role's sessions are all encrypted and that no log line has the password. */
    static void storesRowsOverTls(GatewayService gateway, TlsDatabase db) {
        try (CapturedLog log = CapturedLog.start()) {
            gateway.start();
            try {
                PipelineEndToEndTest.waitFor(Duration.ofSeconds(30), () -> db.admin().count("SELECT count(*) FROM rack") >= 16);
                assertTrue(db.encryptedSessions() >= 1, "no encrypted session of " + TlsDatabase.USER);
                assertEquals(0, db.admin().count("SELECT count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) "
                        + "WHERE a.usename = '" + TlsDatabase.USER + "' AND NOT s.ssl"));
                assertTrue(gateway.schema().hypertables(), "TimescaleDB over TLS: hypertables");
            } finally {
                gateway.stop(Duration.ofSeconds(5));
            }
            assertFalse(log.all().contains(TlsDatabase.PASSWORD), "the password is in the log:\n" + log.all());
        }
    }
}
