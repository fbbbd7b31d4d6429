package org.openess.gateway.e2e;

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
 * The configuration of the measured failure in issue 7, a managed-database quick start:
 * {@code ?sslmode=require} and {@code quarkus.datasource.reactive.trust-all=true}. The writer used
 * to connect without TLS and be refused every 5 s; now its rows arrive, encrypted.
 */
@QuarkusTest
@QuarkusTestResource(value = TlsRequireTrustAllTest.Resource.class, restrictToAnnotatedClass = true)
@DbTest
class TlsRequireTrustAllTest {

    public static class Resource implements QuarkusTestResourceLifecycleManager {
        static TlsDatabase db;

        @Override
        public Map<String, String> start() {
            db = TlsDatabase.create("e2e_tls_req");
            return TlsDatabaseTest.withSimulatedDevice(db.requireTrustAllConfig());
        }

        @Override
        public void stop() {
            db.close();
        }
    }

    @Inject
    GatewayService gateway;

    @Test
    void storesRowsOverTls() {
        TlsDatabaseTest.storesRowsOverTls(gateway, Resource.db);
    }
}
