package org.openess.gateway.e2e;

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
 * The TLS-only role with no TLS settings: the server refuses the writer, and the log says so in
 * the server's words (not a silent retry loop), without the password.
 */
@QuarkusTest
@QuarkusTestResource(value = TlsRefusedTest.Resource.class, restrictToAnnotatedClass = true)
@DbTest
class TlsRefusedTest {

    public static class Resource implements QuarkusTestResourceLifecycleManager {
        static TlsDatabase db;

        @Override
        public Map<String, String> start() {
            db = TlsDatabase.create("e2e_notls");
            int port = FreePorts.consecutive(1);
            Map<String, String> c = SimulatedDevices.withSimulator(db.plainConfig(), port);
            SimulatedDevices.device(c, "notls-site", port);
            return c;
        }

        @Override
        public void stop() {
            db.close();
        }
    }

    @Inject
    GatewayService gateway;

    @Test
    void theWriterIsRefusedAndTheLogSaysWhy() {
        try (CapturedLog log = CapturedLog.start()) {
            gateway.start();
            try {
                PipelineEndToEndTest.waitFor(Duration.ofSeconds(20), () -> log.all().contains("no encryption"));
            } finally {
                gateway.stop(Duration.ofMillis(200));
            }
            String refused = log.lines().stream().filter(l -> l.contains("no encryption")).findFirst().orElseThrow();
            assertTrue(refused.contains("database not ready") && refused.contains("pg_hba.conf rejects connection")
                    && refused.contains(TlsDatabase.USER), refused);
            assertFalse(log.all().contains(TlsDatabase.PASSWORD), "the password is in the log:\n" + log.all());
        }
    }
}
