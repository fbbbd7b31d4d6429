package org.openess.gateway.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code /q/openapi}: the OpenAPI document of the REST API, YAML by default, JSON with
 * {@code ?format=json} or {@code Accept: application/json}. The document is made at build time
 * (smallrye-open-api-maven-plugin in pom.xml) and served as the file it is, so the running service
 * neither scans its classes nor holds an OpenAPI model. Like Quarkus' own endpoint it sits under the
 * non-application root and moves to the management port when that is enabled.
 */
@ApplicationScoped
public class OpenApiDocument {
    private final String path;
    private final boolean managementEnabled;
    private final Map<String, Buffer> documents = new ConcurrentHashMap<>();

    OpenApiDocument(@ConfigProperty(name = "quarkus.http.non-application-root-path", defaultValue = "q") String root,
            @ConfigProperty(name = "quarkus.management.enabled", defaultValue = "false") boolean managementEnabled) {
        this.path = (root.startsWith("/") ? root : "/" + root).replaceAll("/+$", "") + "/openapi";
        this.managementEnabled = managementEnabled;
    }

    void onMainRouter(@Observes Router router) {
        if (!managementEnabled) {
            route(router);
        }
    }

    void onManagementInterface(@Observes ManagementInterface management) {
        route(management.router());
    }

    private void route(Router router) {
        // the first request reads the file from the jar: blocking, so on a worker
        router.get(path).blockingHandler(this::serve);
    }

    private void serve(RoutingContext rc) {
        String accept = rc.request().getHeader("Accept");
        boolean asJson = "json".equalsIgnoreCase(rc.queryParams().get("format"))
                || (rc.queryParams().get("format") == null && accept != null && accept.contains("application/json"));
        Buffer body = document(asJson ? "json" : "yaml");
        rc.response().putHeader("Content-Type", asJson ? "application/json;charset=UTF-8" : "application/yaml;charset=UTF-8")
                .end(body);
    }

    /** The file of one format ({@code yaml} or {@code json}), read from the jar on its first request. */
    private Buffer document(String format) {
        return documents.computeIfAbsent(format, f -> read("openapi/openapi." + f));
    }

    private static Buffer read(String resource) {
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the application: the build makes it (pom.xml, "
                        + "smallrye-open-api-maven-plugin)");
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
