package org.openess.gateway.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

import org.eclipse.microprofile.config.Config;

import io.vertx.pgclient.PgConnectOptions;

/**
 * The archive's JDBC connection ({@code COPY ... TO STDOUT} needs the PostgreSQL JDBC driver),
 * derived from the same standard keys that configure the reactive pool, so that one set of
 * settings reaches the server the same way from both clients: server(s), database, credentials,
 * {@code sslmode}, trusted CA certificates, client certificate and key, server parameters.
 * Settings the JDBC driver cannot follow are listed in {@link #warnings()} by key name; the
 * mapping table is in docs/configuration.md. Never prints the password: {@link #toString()} and
 * every warning name keys, not values.
 */
public final class JdbcSettings {
    static final String DS = "quarkus.datasource.";
    static final String R = DS + "reactive.";
    static final String PG = R + "postgresql.";
    private static final String REACTIVE_PREFIX = "vertx-reactive:";
    // the driver sets these itself and needs their values (ISO dates, UTF-8) to decode results
    private static final Set<String> DRIVER_OWNED = Set.of("client_encoding", "datestyle", "intervalstyle", "extra_float_digits");

    private final String url;
    private final Properties properties;
    private final String target;
    private final String server;
    private final String reactiveSslMode;
    private final List<String> warnings;

    private JdbcSettings(String url, Properties properties, String target, String server, String reactiveSslMode,
            List<String> warnings) {
        this.url = url;
        this.properties = properties;
        this.target = target;
        this.server = server;
        this.reactiveSslMode = reactiveSslMode;
        this.warnings = Collections.unmodifiableList(warnings);
    }

    /** Reads {@code quarkus.datasource.*}; fails naming the key when the URL is missing or malformed. */
    public static JdbcSettings from(Config config) {
        List<String> urls = config.getOptionalValues(R + "url", String.class).orElse(List.of()).stream()
                .filter(u -> !u.isBlank()).toList();
        if (urls.isEmpty()) {
            throw new IllegalArgumentException(R + "url is not set");
        }
        List<PgConnectOptions> servers = new ArrayList<>();
        for (String u : urls) {
            servers.add(parse(u.trim()));
        }
        PgConnectOptions first = servers.get(0);
        List<String> warnings = new ArrayList<>();
        Properties p = new Properties();

        String user = config.getOptionalValue(DS + "username", String.class).orElse(first.getUser());
        String password = config.getOptionalValue(DS + "password", String.class).orElse(first.getPassword());
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        if (config.getOptionalValue(DS + "credentials-provider", String.class).isPresent()) {
            warnings.add(noEquivalent(DS + "credentials-provider", "set " + DS + "username and " + DS
                    + "password (or QUARKUS_DATASOURCE_PASSWORD) for the archive"));
        }

        // the key wins over the URL's sslmode, as in the reactive client; both default to disable,
        // which must be said explicitly: the JDBC driver's own default is prefer
        String sslmode = config.getOptionalValue(PG + "ssl-mode", String.class).map(s -> s.trim().toLowerCase(Locale.ROOT))
                .orElse(first.getSslMode().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        String jdbcMode = sslmode;
        if (!sslmode.equals("disable")) {
            jdbcMode = trust(config, sslmode, p, warnings);
            clientCertificate(config, p, warnings);
        }
        p.setProperty("sslmode", jdbcMode);

        if (config.getOptionalValue(PG + "use-layer7-proxy", Boolean.class).orElse(false)) {
            // a pooling proxy (pgbouncer in transaction mode) cannot keep server-side prepared statements
            p.setProperty("prepareThreshold", "0");
        }
        int reconnects = config.getOptionalValue(R + "reconnect-attempts", Integer.class).orElse(0);
        if (reconnects > 0) {
            warnings.add(noEquivalent(R + "reconnect-attempts", "the archive connects once per run; a failed run is retried "
                    + "at the next scheduled run or by running the archive command again"));
        }
        serverParameters(config, first, p);

        String hosts = String.join(",", servers.stream().map(s -> hostPort(s)).toList());
        String database = first.getDatabase();
        String url = "jdbc:postgresql://" + hosts + "/" + (database == null ? "" : database);
        String server = (user == null ? "" : user + "@") + hosts + "/" + database;
        return new JdbcSettings(url, p, server + " (sslmode=" + jdbcMode + ")", server, sslmode, warnings);
    }

    private static PgConnectOptions parse(String url) {
        String uri = url.startsWith(REACTIVE_PREFIX) ? url.substring(REACTIVE_PREFIX.length()) : url;
        try {
            return PgConnectOptions.fromUri(uri);
        } catch (RuntimeException e) {
            // the URL itself is not repeated: it may carry the password
            throw new IllegalArgumentException(R + "url: not a PostgreSQL URL; expected "
                    + "postgresql://[user@]host[:port]/database[?sslmode=...]", e);
        }
    }

    /**
     * Whom the archive trusts, as the reactive client does: trust-all accepts any certificate;
     * PEM certificates are the CAs to verify against; no trust settings means the JVM's trust
     * store. Returns the JDBC sslmode that gives the same checks.
     */
    private static String trust(Config config, String sslmode, Properties p, List<String> warnings) {
        boolean verifies = sslmode.startsWith("verify");
        if (config.getOptionalValue(R + "trust-all", Boolean.class).orElse(false)) {
            // the driver's default factory checks nothing in require mode (and can still present a client certificate)
            return verifies ? "require" : sslmode;
        }
        List<String> pem = enabledList(config, R + "trust-certificate-pem", "certs");
        if (!pem.isEmpty()) {
            p.setProperty("sslrootcert", pem.size() == 1 ? pem.get(0) : bundle(pem));
            // the reactive client checks the chain in require mode too; the driver calls that verify-ca
            return sslmode.equals("require") ? "verify-ca" : sslmode;
        }
        for (String store : List.of("trust-certificate-jks", "trust-certificate-pfx")) {
            if (enabled(config, R + store, "path")) {
                warnings.add(noEquivalent(R + store, "the JDBC driver takes PEM CA certificates only; give the CA as "
                        + R + "trust-certificate-pem.certs; the archive uses the JVM's trust store meanwhile"));
            }
        }
        // no trust settings: the JVM's default trust store, which is what the reactive client checks against
        p.setProperty("sslfactory", "org.postgresql.ssl.DefaultJavaSSLFactory");
        return sslmode;
    }

    private static void clientCertificate(Config config, Properties p, List<String> warnings) {
        List<String> certs = enabledList(config, R + "key-certificate-pem", "certs");
        List<String> keys = enabledList(config, R + "key-certificate-pem", "keys");
        boolean defaultFactory = p.getProperty("sslfactory") != null;
        if (!certs.isEmpty() && !keys.isEmpty()) {
            if (defaultFactory) {
                warnings.add(noEquivalent(R + "key-certificate-pem", "with the JVM's trust store the JDBC driver cannot present "
                        + "a client certificate; also set " + R + "trust-certificate-pem.certs"));
                return;
            }
            p.setProperty("sslcert", certs.get(0));
            p.setProperty("sslkey", keys.get(0));
            String key = keys.get(0).toLowerCase(Locale.ROOT);
            if (!(key.endsWith(".pem") || key.endsWith(".key") || key.endsWith(".pk8"))) {
                warnings.add(R + "key-certificate-pem.keys: the JDBC driver reads a key file as PEM only when it ends in "
                        + ".pem or .key (otherwise as PKCS-8 DER); rename the file if the archive cannot connect");
            }
            if (certs.size() > 1 || keys.size() > 1) {
                warnings.add(R + "key-certificate-pem: the JDBC driver takes one certificate and key; the archive uses the first");
            }
        }
        if (enabled(config, R + "key-certificate-pfx", "path")) {
            String path = config.getValue(R + "key-certificate-pfx.path", String.class);
            if (defaultFactory) {
                warnings.add(noEquivalent(R + "key-certificate-pfx", "with the JVM's trust store the JDBC driver cannot present "
                        + "a client certificate; also set " + R + "trust-certificate-pem.certs"));
            } else if (path.toLowerCase(Locale.ROOT).endsWith(".p12") || path.toLowerCase(Locale.ROOT).endsWith(".pfx")) {
                p.setProperty("sslkey", path);
                config.getOptionalValue(R + "key-certificate-pfx.password", String.class).ifPresent(pw -> p.setProperty("sslpassword", pw));
            } else {
                warnings.add(noEquivalent(R + "key-certificate-pfx.path", "the JDBC driver reads PKCS-12 only from a file "
                        + "ending in .p12 or .pfx"));
            }
        }
        if (enabled(config, R + "key-certificate-jks", "path")) {
            warnings.add(noEquivalent(R + "key-certificate-jks", "give the client certificate as " + R
                    + "key-certificate-pem.* or key-certificate-pfx.*"));
        }
    }

    /** Server parameters from the URL's query and additional-properties, as the driver's {@code options}. */
    private static void serverParameters(Config config, PgConnectOptions first, Properties p) {
        Map<String, String> params = new TreeMap<>();
        Map<String, String> defaults = PgConnectOptions.DEFAULT_PROPERTIES;
        first.getProperties().forEach((k, v) -> {
            if (!v.equals(defaults.get(k))) {
                params.put(k, v);
            }
        });
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(R + "additional-properties.")) {
                String key = name.substring((R + "additional-properties.").length()).replace("\"", "");
                config.getOptionalValue(name, String.class).ifPresent(v -> params.put(key, v));
            }
        }
        params.keySet().removeIf(k -> DRIVER_OWNED.contains(k.toLowerCase(Locale.ROOT)));
        String app = params.remove("application_name");
        p.setProperty("ApplicationName", app != null ? app : "ess-archive");
        if (!params.isEmpty()) {
            StringBuilder options = new StringBuilder();
            params.forEach((k, v) -> options.append(options.length() == 0 ? "" : " ").append("-c ").append(k).append('=')
                    .append(v.replace("\\", "\\\\").replace(" ", "\\ ")));
            p.setProperty("options", options.toString());
        }
    }

    private static boolean enabled(Config config, String group, String member) {
        return config.getOptionalValue(group, Boolean.class).orElse(false)
                || config.getOptionalValue(group + "." + member, String.class).filter(v -> !v.isBlank()).isPresent();
    }

    /** A list key of a TLS group; Quarkus uses it when the group is enabled or the list is set. */
    private static List<String> enabledList(Config config, String group, String member) {
        return config.getOptionalValues(group + "." + member, String.class).orElse(List.of()).stream()
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** The driver takes one CA file; several PEM files become one bundle (readable by the owner only). */
    private static String bundle(List<String> pems) {
        try {
            Path file = Files.createTempFile("ess-archive-ca", ".crt");
            file.toFile().deleteOnExit();
            StringBuilder all = new StringBuilder();
            for (String pem : pems) {
                all.append(Files.readString(Path.of(pem))).append('\n');
            }
            Files.writeString(file, all);
            return file.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(R + "trust-certificate-pem.certs: cannot read " + pems + ": " + e.getMessage(), e);
        }
    }

    private static String hostPort(PgConnectOptions o) {
        String host = o.getHost().contains(":") ? "[" + o.getHost() + "]" : o.getHost();
        return host + ":" + o.getPort();
    }

    private static String noEquivalent(String key, String consequence) {
        return key + " has no equivalent for the archive's JDBC connection: " + consequence;
    }

    /** {@code jdbc:postgresql://host:port[,host:port]/database}; no credentials. */
    public String url() {
        return url;
    }

    /** A copy, with user, password and the TLS settings. */
    public Properties properties() {
        Properties copy = new Properties();
        copy.putAll(properties);
        return copy;
    }

    public List<String> warnings() {
        return warnings;
    }

    /** The reactive pool's view, for the start-up line: user, servers, database and its sslmode; no password. */
    public String describeReactive() {
        return server + ", sslmode " + reactiveSslMode;
    }

    /** Where the archive connects, for messages: user, servers, database, sslmode; never the password. */
    @Override
    public String toString() {
        return target;
    }

    /** For tests and the mapping table: one connection property, or empty. */
    Optional<String> property(String name) {
        return Optional.ofNullable(properties.getProperty(name));
    }
}
