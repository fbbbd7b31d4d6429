package org.openess.gateway.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/**
 * What an end-to-end {@code @QuarkusTest} runs the gateway against: a fresh database and the
 * embedded Modbus simulator on loopback ports, with the gateway's devices polling it. Started by
 * {@link SimulatedSiteResource} before Quarkus boots and stopped after the class; each class gets
 * its own database and ports, so classes never see each other's rows. What the resource started is
 * injected into the test's fields marked {@link Provisioned}, by type: {@link TestDatabase} (for
 * a TLS database, its admin view), {@link TlsDatabase}, {@link TcpProxy},
 * {@code EmbeddedPostgres}, and the archive folder as a {@code Path}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@WithTestResource(value = SimulatedSiteResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
public @interface SimulatedSite {

    /** How the gateway reaches its database. */
    enum Link {
        /** The test TimescaleDB as its admin role. */
        TIMESCALEDB,
        /** The test TimescaleDB through a {@link TcpProxy} that the test can cut. */
        TIMESCALEDB_THROUGH_PROXY,
        /** A role admitted over TLS only: sslmode=verify-full against the test CA ({@link TlsDatabase#verifyFullConfig()}). */
        TLS_VERIFY_FULL,
        /** The same role with sslmode=require and trust-all ({@link TlsDatabase#requireTrustAllConfig()}). */
        TLS_REQUIRE_TRUST_ALL,
        /** The same role with no TLS settings at all, which the server refuses ({@link TlsDatabase#plainConfig()}). */
        TLS_ROLE_WITHOUT_TLS,
        /** The role admitted by client certificate only ({@link TlsDatabase#clientCertificateConfig()}). */
        TLS_CLIENT_CERTIFICATE,
        /** A plain PostgreSQL without TimescaleDB, embedded (the dev-mode server). */
        EMBEDDED_POSTGRES
    }

    /** Prefix of the fresh database's name (unused with {@link Link#EMBEDDED_POSTGRES}). */
    String database() default "e2e";

    Link link() default Link.TIMESCALEDB;

    /** What the simulator serves ({@code ess.simulator.profile}); empty: its default, operation1. */
    String simulator() default "";

    /** How many devices the simulator serves, on consecutive ports. */
    int simulatedDevices() default 1;

    /**
     * The gateway's devices: {@code "id=N"} polls simulated device N (from 0), {@code "id=closed"}
     * a loopback port nothing listens on.
     */
    String[] devices();

    /** Devices that use a variant of operation1: {@code "id=variant"}, one of {@link Operation1Profiles#variant}. */
    String[] profiles() default {};

    /** Further configuration, each {@code "key=value"}. */
    String[] config() default {};

    /** Archive to a fresh temporary folder ({@code ess.archive.target}), injected as a {@code Path}. */
    boolean archiveFolder() default false;
}
