package org.openess.gateway.testsupport;

import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A fresh, empty database on the test TimescaleDB server for one test class, dropped afterwards,
 * so test classes never see each other's tables. The server is the one
 * {@code scripts/timescaledb.sh start} runs (override with ESS_TEST_DATABASE_URL). There is no
 * skip: a suite that cannot reach TimescaleDB fails and says how to start it.
 */
public final class TestDatabase implements AutoCloseable {
    public static final String URL_ENV = "ESS_TEST_DATABASE_URL";
    private static final String DEFAULT_URL = "postgresql://ess:ess@127.0.0.1:55432/ess";

    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final String adminDatabase;
    private final String name;

    private TestDatabase(String host, int port, String user, String password, String adminDatabase, String name) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.adminDatabase = adminDatabase;
        this.name = name;
    }

    /** Creates database {@code <prefix>_<random>}. */
    public static TestDatabase create(String prefix) {
        String url = System.getenv().getOrDefault(URL_ENV, DEFAULT_URL);
        URI uri = URI.create(url);
        String[] userInfo = uri.getUserInfo() == null ? new String[] { "postgres", "" } : uri.getUserInfo().split(":", 2);
        String admin = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
        String name = (prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10)).toLowerCase();
        TestDatabase db = new TestDatabase(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), userInfo[0],
                userInfo.length > 1 ? userInfo[1] : "", admin, name);
        try (Connection c = db.connect(admin); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the test TimescaleDB at " + url + " (" + e.getMessage()
                    + "); start it with: scripts/timescaledb.sh start   (or set " + URL_ENV + ")", e);
        }
        return db;
    }

    public String name() {
        return name;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** The reactive URL for quarkus.datasource.reactive.url. */
    public String reactiveUrl() {
        return "postgresql://" + user + ":" + password + "@" + host + ":" + port + "/" + name;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + name;
    }

    /** Config for a Quarkus test profile or resource. */
    public Map<String, String> quarkusConfig() {
        return Map.of("quarkus.datasource.reactive.url", reactiveUrl());
    }

    public Connection connect() throws SQLException {
        return connect(name);
    }

    private Connection connect(String database) throws SQLException {
        // the driver directly, not DriverManager: after Quarkus tests ran in this JVM, DriverManager
        // no longer sees drivers of the test class loader ("No suitable driver")
        java.util.Properties props = new java.util.Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        return new org.postgresql.Driver().connect("jdbc:postgresql://" + host + ":" + port + "/" + database, props);
    }

    /** Runs a query and returns all rows as lists of column values (for compact assertions). */
    public List<List<Object>> query(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<List<Object>> rows = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    public long count(String sql) {
        return ((Number) query(sql).get(0).get(0)).longValue();
    }

    public void execute(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try (Connection c = connect(adminDatabase); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            // a leftover test database is harmless; the next provisioning can drop it
        }
    }
}
