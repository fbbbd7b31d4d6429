package org.openess.gateway.archive;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;

import org.openess.gateway.storage.JdbcSession;

/**
 * A PostgreSQL session advisory lock per (site, day), so that two gateways sharing a database (or
 * the service and a Cloud Run job) never archive the same site and day at once. The lock dies with
 * the connection, so a crashed archiver cannot leave it held.
 */
final class SiteDayLock implements AutoCloseable {
    private final Connection connection;
    private final long key;

    private SiteDayLock(Connection connection, long key) {
        this.connection = connection;
        this.key = key;
    }

    /** The lock, or null when another session holds it. */
    static SiteDayLock tryAcquire(Connection c, String site, LocalDate day) throws SQLException {
        long key = key(site, day);
        return JdbcSession.tryAdvisoryLock(c, key) ? new SiteDayLock(c, key) : null;
    }

    /** Stable across processes and versions: the first 8 bytes of SHA-256 over a fixed text. */
    static long key(String site, LocalDate day) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest(("ess-archive\u0000" + site + "\u0000" + day).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(h).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    @Override
    public void close() throws SQLException {
        JdbcSession.advisoryUnlock(connection, key);
    }
}
