package org.openess.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.openess.gateway.service.GatewayService;
import org.openess.gateway.testsupport.Await;
import org.openess.gateway.testsupport.CapturedLog;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.RunningGateway;
import org.openess.gateway.testsupport.SimulatedSite;
import org.openess.gateway.testsupport.TlsDatabase;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The TLS-only role with no TLS settings: the server refuses the writer, and the log says so in
 * the server's words (not a silent retry loop), without the password.
 */
@QuarkusTest
@SimulatedSite(database = "e2e_notls", link = SimulatedSite.Link.TLS_ROLE_WITHOUT_TLS, devices = "notls-site=0")
@DbTest
class TlsRefusedTest {

    @Inject
    GatewayService gateway;

    @Test
    void theWriterIsRefusedAndTheLogSaysWhy() {
        try (CapturedLog log = CapturedLog.start()) {
            try (RunningGateway running = RunningGateway.start(gateway, Duration.ofMillis(200))) {
                Await.until(Duration.ofSeconds(20), () -> log.all().contains("no encryption"));
            }
            String refused = log.lines().stream().filter(l -> l.contains("no encryption")).findFirst().orElseThrow();
            assertTrue(refused.contains("database not ready") && refused.contains("pg_hba.conf rejects connection")
                    && refused.contains(TlsDatabase.USER), refused);
            assertFalse(log.all().contains(TlsDatabase.PASSWORD), "the password is in the log:\n" + log.all());
        }
    }
}
