package org.openess.gateway.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.TlsDatabase;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The one mapping from the reactive datasource keys to the archive's JDBC connection: each row of
 * the README table, then real connections to the project's TimescaleDB with the TLS-only role.
 */
@DbTest
class JdbcSettingsTest {
    static final String SECRET = "pw-never-logged-93b1";
    static TlsDatabase tls;

    @BeforeAll
    static void createDatabase() {
        tls = TlsDatabase.create("jdbc_tls");
    }

    @AfterAll
    static void dropDatabase() {
        tls.close();
    }

    static JdbcSettings map(Map<String, String> keys) {
        return JdbcSettings.from(new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(keys, "test", 100)).build());
    }

    static JdbcSettings map(String... keyValues) {
        Map<String, String> keys = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            keys.put(keyValues[i], keyValues[i + 1]);
        }
        return map(keys);
    }

    @Test
    void hostDatabaseAndCredentialsComeFromTheUrlOrTheStandardKeys() {
        JdbcSettings s = map("quarkus.datasource.reactive.url", "postgresql://ess:" + SECRET + "@db.example:6432/site");
        assertEquals("jdbc:postgresql://db.example:6432/site", s.url());
        assertEquals(Optional.of("ess"), s.property("user"));
        assertEquals(Optional.of(SECRET), s.property("password"));
        // the JDBC driver would otherwise try TLS first (prefer); the reactive client's default is disable
        assertEquals(Optional.of("disable"), s.property("sslmode"));
        assertEquals(Optional.of("ess-archive"), s.property("ApplicationName"));
        assertEquals(List.of(), s.warnings());

        JdbcSettings keys = map("quarkus.datasource.reactive.url", "vertx-reactive:postgresql://ess:old@db.example/site",
                "quarkus.datasource.username", "gateway", "quarkus.datasource.password", SECRET);
        assertEquals("jdbc:postgresql://db.example:5432/site", keys.url());
        assertEquals(Optional.of("gateway"), keys.property("user"));
        assertEquals(Optional.of(SECRET), keys.property("password"));
    }

    @Test
    void thePasswordAppearsInNoMessage() {
        JdbcSettings s = map("quarkus.datasource.reactive.url", "postgresql://ess:" + SECRET + "@db.example/site?sslmode=require",
                "quarkus.datasource.reactive.trust-certificate-jks.path", "/x.jks",
                "quarkus.datasource.credentials-provider", "vault", "quarkus.datasource.reactive.reconnect-attempts", "3");
        assertEquals("ess@db.example:5432/site (sslmode=require)", s.toString());
        assertEquals("ess@db.example:5432/site, sslmode require", s.describeReactive());
        assertEquals(3, s.warnings().size(), s.warnings().toString());
        s.warnings().forEach(w -> assertFalse(w.contains(SECRET), w));
        assertFalse(s.url().contains(SECRET));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> map("quarkus.datasource.reactive.url", "mysql://ess:" + SECRET + "@db.example/site"));
        assertTrue(bad.getMessage().startsWith("quarkus.datasource.reactive.url: not a PostgreSQL URL"), bad.getMessage());
        assertFalse(bad.getMessage().contains(SECRET));
    }

    @Test
    void sslModeFromTheUrlOrTheKeyWhichWins() {
        assertEquals(Optional.of("require"), map("quarkus.datasource.reactive.url", "postgresql://h/d?sslmode=require",
                "quarkus.datasource.reactive.trust-all", "true").property("sslmode"));
        assertEquals(Optional.of("require"), map("quarkus.datasource.reactive.url", "postgresql://h/d?sslmode=disable",
                "quarkus.datasource.reactive.postgresql.ssl-mode", "require", "quarkus.datasource.reactive.trust-all", "true")
                .property("sslmode"));
        assertEquals(Optional.of("disable"), map("quarkus.datasource.reactive.url", "postgresql://h/d?sslmode=require",
                "quarkus.datasource.reactive.postgresql.ssl-mode", "disable").property("sslmode"));
    }

    @Test
    void trustSettingsMapToTheDriversChecks() throws Exception {
        // trust-all: encrypted, no certificate check (the driver's require mode checks nothing)
        JdbcSettings all = map("quarkus.datasource.reactive.url", "postgresql://h/d?sslmode=verify-full",
                "quarkus.datasource.reactive.trust-all", "true");
        assertEquals(Optional.of("require"), all.property("sslmode"));
        assertEquals(Optional.empty(), all.property("sslrootcert"));
        assertEquals(Optional.empty(), all.property("sslfactory"));
        // PEM CA certificates: the driver's root certificate; require + a CA checks the chain (verify-ca)
        JdbcSettings full = map("quarkus.datasource.reactive.url", "postgresql://h/d?sslmode=verify-full",
                "quarkus.datasource.reactive.trust-certificate-pem.certs", "/etc/ca.pem");
        assertEquals(Optional.of("verify-full"), full.property("sslmode"));
        assertEquals(Optional.of("/etc/ca.pem"), full.property("sslrootcert"));
        assertEquals(Optional.of("verify-ca"), map("quarkus.datasource.reactive.url", "postgresql://h/d?sslmode=require",
                "quarkus.datasource.reactive.trust-certificate-pem", "true",
                "quarkus.datasource.reactive.trust-certificate-pem.certs", "/etc/ca.pem").property("sslmode"));
        // no trust settings: the JVM's trust store, as the reactive client does
        JdbcSettings jvm = map("quarkus.datasource.reactive.url", "postgresql://h/d?sslmode=require");
        assertEquals(Optional.of("org.postgresql.ssl.DefaultJavaSSLFactory"), jvm.property("sslfactory"));
        // several CA files: one bundle with all of them
        Path ca = TlsDatabase.caCertificate();
        JdbcSettings two = map("quarkus.datasource.reactive.url", "postgresql://h/d?sslmode=verify-ca",
                "quarkus.datasource.reactive.trust-certificate-pem.certs", ca + "," + ca);
        String bundle = Files.readString(Path.of(two.property("sslrootcert").orElseThrow()));
        assertEquals(2, bundle.split("BEGIN CERTIFICATE", -1).length - 1);
    }

    @Test
    void clientCertificatesAndWhatHasNoEquivalent(@TempDir Path dir) {
        JdbcSettings pem = map("quarkus.datasource.reactive.url", "postgresql://h/d?sslmode=verify-ca",
                "quarkus.datasource.reactive.trust-certificate-pem.certs", "/etc/ca.pem",
                "quarkus.datasource.reactive.key-certificate-pem", "true",
                "quarkus.datasource.reactive.key-certificate-pem.certs", "/etc/client.crt",
                "quarkus.datasource.reactive.key-certificate-pem.keys", "/etc/client.key");
        assertEquals(Optional.of("/etc/client.crt"), pem.property("sslcert"));
        assertEquals(Optional.of("/etc/client.key"), pem.property("sslkey"));
        assertEquals(List.of(), pem.warnings());
        JdbcSettings pfx = map("quarkus.datasource.reactive.url", "postgresql://h/d?sslmode=verify-ca",
                "quarkus.datasource.reactive.trust-certificate-pem.certs", "/etc/ca.pem",
                "quarkus.datasource.reactive.key-certificate-pfx.path", "/etc/client.p12",
                "quarkus.datasource.reactive.key-certificate-pfx.password", SECRET);
        assertEquals(Optional.of("/etc/client.p12"), pfx.property("sslkey"));
        assertEquals(Optional.of(SECRET), pfx.property("sslpassword"));
        JdbcSettings jks = map("quarkus.datasource.reactive.url", "postgresql://h/d?sslmode=verify-ca",
                "quarkus.datasource.reactive.trust-certificate-jks.path", "/etc/trust.jks",
                "quarkus.datasource.reactive.key-certificate-jks.path", "/etc/key.jks");
        assertEquals(2, jks.warnings().size(), jks.warnings().toString());
        assertTrue(jks.warnings().get(0).startsWith("quarkus.datasource.reactive.trust-certificate-jks has no equivalent"),
                jks.warnings().get(0));
        assertTrue(jks.warnings().get(1).startsWith("quarkus.datasource.reactive.key-certificate-jks has no equivalent"),
                jks.warnings().get(1));
    }

    @Test
    void serversAndServerParameters() {
        JdbcSettings s = map("quarkus.datasource.reactive.url",
                "postgresql://a.example:5433/site?search_path=ess&application_name=gw,postgresql://b.example:5434/site",
                "quarkus.datasource.reactive.additional-properties.statement_timeout", "0",
                "quarkus.datasource.reactive.postgresql.use-layer7-proxy", "true");
        assertEquals("jdbc:postgresql://a.example:5433,b.example:5434/site", s.url());
        assertEquals(Optional.of("-c search_path=ess -c statement_timeout=0"), s.property("options"));
        assertEquals(Optional.of("gw"), s.property("ApplicationName"));
        assertEquals(Optional.of("0"), s.property("prepareThreshold"));
    }

    @Test
    void connectsOverTlsToTheTlsOnlyRoleAndIsRefusedWithout() throws SQLException {
        for (Map<String, String> keys : List.of(tls.verifyFullConfig(), tls.requireTrustAllConfig())) {
            JdbcSettings s = map(keys);
            try (Connection c = new org.postgresql.Driver().connect(s.url(), s.properties());
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
                assertTrue(rs.next());
                assertTrue(rs.getBoolean(1), keys + " connected without TLS");
            }
        }
        JdbcSettings plain = map(tls.plainConfig());
        SQLException refused = assertThrows(SQLException.class, () -> new org.postgresql.Driver().connect(plain.url(), plain.properties()));
        assertTrue(refused.getMessage().contains("pg_hba.conf rejects connection") && refused.getMessage().contains("no encryption"),
                refused.getMessage());
    }

    @Test
    void presentsTheClientCertificateToARoleAdmittedByCertificateOnly() throws SQLException {
        List<Path> certAndKey = TlsDatabase.clientCertificateAndKey();
        JdbcSettings s = map("quarkus.datasource.reactive.url", tls.url("sslmode=verify-full"),
                "quarkus.datasource.username", TlsDatabase.CERT_USER,
                "quarkus.datasource.reactive.hostname-verification-algorithm", "HTTPS",
                "quarkus.datasource.reactive.trust-certificate-pem.certs", TlsDatabase.caCertificate().toString(),
                "quarkus.datasource.reactive.key-certificate-pem", "true",
                "quarkus.datasource.reactive.key-certificate-pem.certs", certAndKey.get(0).toString(),
                "quarkus.datasource.reactive.key-certificate-pem.keys", certAndKey.get(1).toString());
        assertEquals(List.of(), s.warnings());
        try (Connection c = new org.postgresql.Driver().connect(s.url(), s.properties());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT current_user, ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
            assertTrue(rs.next());
            assertEquals(TlsDatabase.CERT_USER, rs.getString(1));
            assertTrue(rs.getBoolean(2));
        }
        // the same role without the certificate: refused
        JdbcSettings without = map("quarkus.datasource.reactive.url", tls.url("sslmode=verify-full"),
                "quarkus.datasource.username", TlsDatabase.CERT_USER,
                "quarkus.datasource.reactive.trust-certificate-pem.certs", TlsDatabase.caCertificate().toString());
        SQLException refused = assertThrows(SQLException.class,
                () -> new org.postgresql.Driver().connect(without.url(), without.properties()));
        assertTrue(refused.getMessage().contains("certificate"), refused.getMessage());
    }
}
