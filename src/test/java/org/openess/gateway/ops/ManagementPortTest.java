package org.openess.gateway.ops;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openess.gateway.testsupport.FreePorts;
import org.openess.gateway.testsupport.QuarkusAppTest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * With the management interface on (a build-time switch: {@code -Dquarkus.management.enabled=true}),
 * health, metrics and OpenAPI answer on their own port only; the page and the API stay on the main one.
 */
@QuarkusTest
@TestProfile(ManagementPortTest.Management.class)
@QuarkusAppTest
class ManagementPortTest {
    static final int PORT = FreePorts.one();

    public static class Management implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.management.enabled", "true", "quarkus.management.host", "127.0.0.1",
                    "quarkus.management.test-port", Integer.toString(PORT));
        }
    }

    @Test
    void probesAndMetricsMoveToTheManagementPort() {
        for (String path : new String[] { "/q/health/live", "/q/metrics", "/q/openapi" }) {
            given().port(PORT).get(path).then().statusCode(200);
            given().get(path).then().statusCode(404);
        }
        given().port(PORT).get("/q/health/live").then().body("status", is("UP"));
        // the gateway is not started here, so its own ess_* meters are not bound yet (they are when the
        // service starts: OperatorSurfacesTest); the registry's JVM meters show it is the Prometheus scrape
        given().port(PORT).get("/q/metrics").then().body(containsString("jvm_memory_used_bytes"));
        given().get("/").then().statusCode(200).body(containsString("ESS gateway"));
        given().get("/api/status").then().statusCode(200).body("running", is(false));
    }
}
