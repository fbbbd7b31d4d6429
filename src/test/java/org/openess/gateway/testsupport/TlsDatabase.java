package org.openess.gateway.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A test database on the project's TimescaleDB that belongs to the role {@code pg_hba.conf}
 * admits over TLS only ({@code scripts/timescaledb.sh start} creates it, as managed TimescaleDB and
 * Cloud SQL do for every role). Overrides: ESS_TEST_TLS_CA (the CA certificate that signed the
 * server's), ESS_TEST_TLS_USER, ESS_TEST_TLS_PASSWORD; defaults are the script's.
 */
public final class TlsDatabase implements AutoCloseable {
    public static final String USER = System.getenv().getOrDefault("ESS_TEST_TLS_USER", "ess_tls");
    public static final String PASSWORD = System.getenv().getOrDefault("ESS_TEST_TLS_PASSWORD", "ess-tls-secret");
    /** The role that pg_hba.conf admits by client certificate only. */
    public static final String CERT_USER = System.getenv().getOrDefault("ESS_TEST_TLS_CERT_USER", "ess_cert");

    private final TestDatabase db;

    private TlsDatabase(TestDatabase db) {
        this.db = db;
    }

    /** A fresh database owned by the TLS-only role, with the timescaledb extension created by the admin. */
    public static TlsDatabase create(String prefix) {
        return createOwnedBy(prefix, USER);
    }

    /** The same, owned by {@code role} (e.g. {@link #CERT_USER}, so that it can create the gateway's tables). */
    public static TlsDatabase createOwnedBy(String prefix, String role) {
        TestDatabase db = TestDatabase.create(prefix);
        db.execute("CREATE EXTENSION IF NOT EXISTS timescaledb");
        db.execute("ALTER DATABASE " + db.name() + " OWNER TO " + role);
        return new TlsDatabase(db);
    }

    /** The admin's view of the same database (the {@code ess} role, no TLS needed), for assertions. */
    public TestDatabase admin() {
        return db;
    }

    public String name() {
        return db.name();
    }

    /** {@code postgresql://host:port/db} with no credentials, for the standard keys; add the query yourself. */
    public String url(String query) {
        return "postgresql://" + db.host() + ":" + db.port() + "/" + db.name() + (query.isEmpty() ? "" : "?" + query);
    }

    /** Standard Quarkus keys only: verify-full against the test CA, credentials in username/password. */
    public Map<String, String> verifyFullConfig() {
        Map<String, String> c = credentials("sslmode=verify-full");
        c.put("quarkus.datasource.reactive.hostname-verification-algorithm", "HTTPS");
        c.put("quarkus.datasource.reactive.trust-certificate-pem", "true");
        c.put("quarkus.datasource.reactive.trust-certificate-pem.certs", caCertificate().toString());
        return c;
    }

    /**
     * Standard Quarkus keys only, for {@link #CERT_USER}: verify-full against the test CA and the
     * client certificate and key as {@code key-certificate-pem}; no password.
     */
    public Map<String, String> clientCertificateConfig() {
        List<Path> certAndKey = clientCertificateAndKey();
        Map<String, String> c = new HashMap<>();
        c.put("quarkus.datasource.reactive.url", url("sslmode=verify-full"));
        c.put("quarkus.datasource.username", CERT_USER);
        c.put("quarkus.datasource.reactive.hostname-verification-algorithm", "HTTPS");
        c.put("quarkus.datasource.reactive.trust-certificate-pem", "true");
        c.put("quarkus.datasource.reactive.trust-certificate-pem.certs", caCertificate().toString());
        c.put("quarkus.datasource.reactive.key-certificate-pem", "true");
        c.put("quarkus.datasource.reactive.key-certificate-pem.certs", certAndKey.get(0).toString());
        c.put("quarkus.datasource.reactive.key-certificate-pem.keys", certAndKey.get(1).toString());
        return c;
    }

    /** As a managed-database quick start does it: require TLS, trust any certificate. */
    public Map<String, String> requireTrustAllConfig() {
        Map<String, String> c = credentials("sslmode=require");
        c.put("quarkus.datasource.reactive.trust-all", "true");
        return c;
    }

    /** The TLS-only role without any TLS setting: the server must refuse it. */
    public Map<String, String> plainConfig() {
        return credentials("");
    }

    /** The TLS-only role's URL (with {@code urlParameters}), username and password. */
    private Map<String, String> credentials(String urlParameters) {
        Map<String, String> c = new HashMap<>();
        c.put("quarkus.datasource.reactive.url", url(urlParameters));
        c.put("quarkus.datasource.username", USER);
        c.put("quarkus.datasource.password", PASSWORD);
        return c;
    }

    /** SELECT over the admin connection: are all of the TLS role's sessions on this database encrypted? */
    public long encryptedSessions() {
        return db.count("SELECT count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.usename = '" + USER
                + "' AND a.datname = '" + db.name() + "' AND s.ssl");
    }

    public static Path caCertificate() {
        String env = System.getenv("ESS_TEST_TLS_CA");
        return Path.of(env != null && !env.isBlank() ? env : script("tls-ca").get(0));
    }

    /** The client certificate and key (PEM) of {@link #CERT_USER}. */
    public static List<Path> clientCertificateAndKey() {
        String cert = System.getenv("ESS_TEST_TLS_CLIENT_CERT");
        String key = System.getenv("ESS_TEST_TLS_CLIENT_KEY");
        if (cert != null && key != null) {
            return List.of(Path.of(cert), Path.of(key));
        }
        List<String> paths = script("tls-client");
        return List.of(Path.of(paths.get(0)), Path.of(paths.get(1)));
    }

    /** The paths {@code scripts/timescaledb.sh <command>} prints, each checked to be readable. */
    private static List<String> script(String command) {
        try {
            Process p = new ProcessBuilder("bash", "scripts/timescaledb.sh", command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            List<String> paths = List.of(out.split("\\s+"));
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || !paths.stream().allMatch(f -> Files.isReadable(Path.of(f)))) {
                throw new IllegalStateException("no TLS files of the test TimescaleDB (scripts/timescaledb.sh " + command + " said '"
                        + out + "'); run scripts/timescaledb.sh start, or set the ESS_TEST_TLS_* variables");
            }
            return paths;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run scripts/timescaledb.sh " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        db.close();
    }
}
