package org.openess.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.openess.gateway.storage.Storage;
import org.openess.gateway.service.GatewayService;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.Provisioned;
import org.openess.gateway.testsupport.RunningGateway;
import org.openess.gateway.testsupport.SimulatedSite;
import org.openess.gateway.testsupport.TlsDatabase;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The service as a role that {@code pg_hba.conf} admits by client certificate only (Cloud SQL's
 * "require trusted client certificates", managed PostgreSQL with cert auth), configured with the
 * reactive pool's standard {@code key-certificate-pem} keys and no password: rows arrive, and
 * every session of the role presented the certificate.
 */
@QuarkusTest
@SimulatedSite(database = "e2e_cert", link = SimulatedSite.Link.TLS_CLIENT_CERTIFICATE, devices = "tls-site=0")
@DbTest
class TlsClientCertificateTest {

    @Inject
    GatewayService gateway;
    @Inject
    Storage storage;
    @Provisioned
    TlsDatabase db;

    @Test
    void storesRowsAsARoleAdmittedByCertificateOnly() {
        try (RunningGateway running = RunningGateway.start(gateway, Duration.ofSeconds(5))) {
            running.awaitRows(db.admin(), "rack", 16, Duration.ofSeconds(30));
            String sessions = "FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.usename = '" + TlsDatabase.CERT_USER
                    + "' AND a.datname = '" + db.name() + "'";
            assertTrue(db.admin().count("SELECT count(*) " + sessions) >= 1, "no session of " + TlsDatabase.CERT_USER);
            assertEquals(0, db.admin().count("SELECT count(*) " + sessions + " AND (NOT s.ssl OR s.client_dn IS NULL)"),
                    "a session without TLS or without the client certificate");
            assertTrue(storage.hypertables(), "TimescaleDB by client certificate: hypertables");
        }
    }
}
