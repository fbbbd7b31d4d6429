package org.openess.gateway.e2e;

import org.junit.jupiter.api.Test;
import org.openess.gateway.storage.Storage;
import org.openess.gateway.service.GatewayService;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.Provisioned;
import org.openess.gateway.testsupport.SimulatedSite;
import org.openess.gateway.testsupport.TlsDatabase;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The configuration of the measured failure in issue 7, a managed-database quick start:
 * {@code ?sslmode=require} and {@code quarkus.datasource.reactive.trust-all=true}. The writer used
 * to connect without TLS and be refused every 5 s; now its rows arrive, encrypted.
 */
@QuarkusTest
@SimulatedSite(database = "e2e_tls_req", link = SimulatedSite.Link.TLS_REQUIRE_TRUST_ALL, devices = "tls-site=0")
@DbTest
class TlsRequireTrustAllTest {

    @Inject
    GatewayService gateway;
    @Inject
    Storage storage;
    @Provisioned
    TlsDatabase db;

    @Test
    void storesRowsOverTls() {
        TlsDatabaseTest.storesRowsOverTls(gateway, storage, db);
    }
}
