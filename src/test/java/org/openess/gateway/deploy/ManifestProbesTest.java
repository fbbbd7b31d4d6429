package org.openess.gateway.deploy;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.openess.gateway.service.GatewayService;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.DeployTest;
import org.openess.gateway.testsupport.SimulatedSite;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The HTTP paths the deployment files rely on, requested from the running service (with a
 * simulated device and a real TimescaleDB, so that readiness means something): the Deployment's
 * probes, the Prometheus scrape path, and the path the image smoke test (scripts/image-smoke.sh)
 * waits for.
 */
@QuarkusTest
@SimulatedSite(database = "manifest_probes", devices = "op1=0")
@DbTest
@DeployTest
class ManifestProbesTest {

    /** The Deployment's probe paths and its prometheus.io/path annotation. */
    static List<String> probePaths() throws Exception {
        JsonNode deployment = Manifests.only(Manifests.kustomize(Manifests.OVERLAY), "Deployment");
        List<String> paths = new ArrayList<>();
        for (Manifests.Container c : Manifests.containers(List.of(deployment))) {
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                String path = c.container().path(probe).path("httpGet").path("path").asText(null);
                if (path != null && !paths.contains(path)) {
                    paths.add(path);
                }
            }
        }
        String metrics = deployment.path("spec").path("template").path("metadata").path("annotations").path("prometheus.io/path")
                .asText(null);
        if (metrics != null && !paths.contains(metrics)) {
            paths.add(metrics);
        }
        return paths;
    }

    /** HEALTH_PATH's default in scripts/image-smoke.sh. */
    static String smokeTestHealthPath() throws Exception {
        Matcher m = Pattern.compile("HEALTH_PATH=\"\\$\\{HEALTH_PATH:-([^}]+)}\"")
                .matcher(Files.readString(Manifests.ROOT.resolve("scripts/image-smoke.sh")));
        return m.find() ? m.group(1) : null;
    }

    @Inject
    GatewayService gateway;

    @Test
    void everyPathTheDeploymentProbesIsServed() throws Exception {
        // the service command starts polling; a @QuarkusTest does not run it, and readiness says
        // whether rows reach storage, which needs the gateway running
        gateway.start();
        List<String> paths = probePaths();
        assertEquals(List.of("/q/health/live", "/q/health/ready", "/q/metrics"), paths);
        for (String path : paths) {
            // readiness may take a moment after start: the schema is applied asynchronously
            int status = -1;
            for (int i = 0; i < 100; i++) {
                status = given().get(path).statusCode();
                if (status == 200) {
                    break;
                }
                Thread.sleep(100);
            }
            assertEquals(200, status, path);
        }
    }

    @Test
    void theImageSmokeTestWaitsForAPathTheServiceServes() throws Exception {
        String path = smokeTestHealthPath();
        assertNotNull(path, "HEALTH_PATH default not found in scripts/image-smoke.sh");
        assertEquals(200, given().get(path).statusCode(), path);
    }
}
