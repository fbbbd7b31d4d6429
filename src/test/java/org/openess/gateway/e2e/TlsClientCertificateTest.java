package org.openess.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openess.gateway.GatewayService;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.TlsDatabase;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The service as a role that {@code pg_hba.conf} admits by client certificate only (Cloud SQL's
 * "require trusted client certificates", managed PostgreSQL with cert auth), configured with the
 * reactive pool's standard {@code key-certificate-pem} keys and no password: rows arrive, and
 * every session of the role presented the certificate.
 */
@QuarkusTest
@QuarkusTestResource(value = TlsClientCertificateTest.Resource.class, restrictToAnnotatedClass = true)
@DbTest
class TlsClientCertificateTest {

    public static class Resource implements QuarkusTestResourceLifecycleManager {
        static TlsDatabase db;

        @Override
        public Map<String, String> start() {
            db = TlsDatabase.createOwnedBy("e2e_cert", TlsDatabase.CERT_USER);
            return TlsDatabaseTest.withSimulatedDevice(db.clientCertificateConfig());
        }

        @Override
        public void stop() {
            db.close();
        }
    }

    @Inject
    GatewayService gateway;

    @Test
    void storesRowsAsARoleAdmittedByCertificateOnly() {
        TlsDatabase db = Resource.db;
        gateway.start();
        try {
            PipelineEndToEndTest.waitFor(Duration.ofSeconds(30), () -> db.admin().count("SELECT count(*) FROM rack") >= 16);
            String sessions = "FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.usename = '" + TlsDatabase.CERT_USER
                    + "' AND a.datname = '" + db.name() + "'";
            assertTrue(db.admin().count("SELECT count(*) " + sessions) >= 1, "no session of " + TlsDatabase.CERT_USER);
            assertEquals(0, db.admin().count("SELECT count(*) " + sessions + " AND (NOT s.ssl OR s.client_dn IS NULL)"),
                    "a session without TLS or without the client certificate");
            assertTrue(gateway.schema().hypertables(), "TimescaleDB by client certificate: hypertables");
        } finally {
            gateway.stop(Duration.ofSeconds(5));
        }
    }
}
