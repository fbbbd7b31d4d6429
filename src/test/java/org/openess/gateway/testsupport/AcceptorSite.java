package org.openess.gateway.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/**
 * A large site for a {@code @QuarkusTest}: a fresh database and a {@link RecordingAcceptor} whose
 * endpoints the gateway's devices poll over loopback. Device ids are {@code d00000}, {@code d00001}, …:
 * {@link #unitsPerEndpoint()} devices (unit ids 1..n) on each answering endpoint, then one device
 * on each silent endpoint. The acceptor and the {@link TestDatabase} are injected into
 * {@link Provisioned} fields.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@WithTestResource(value = AcceptorSiteResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
public @interface AcceptorSite {
    String database();

    /** Endpoints that answer like the simulator. */
    int answering();

    /** Endpoints that accept and never answer. */
    int silent() default 0;

    /** Devices behind each answering endpoint (one Modbus TCP gateway with several units). */
    int unitsPerEndpoint() default 1;

    /** Configuration of every device, each {@code "key=value"} under {@code ess.devices."<id>".} ({@code "poll-interval=10s"}). */
    String[] deviceConfig() default {};

    /** Further configuration, each {@code "key=value"}. */
    String[] config() default {};
}
