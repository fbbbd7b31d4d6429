package org.openess.gateway.testsupport;

import java.time.Duration;

import org.openess.gateway.service.GatewayService;

/**
 * The gateway of a {@code @QuarkusTest} polling for the length of a try block: started by
 * {@link #start}, stopped when the block ends, however it ends. A {@code @QuarkusTest} does not
 * run the service command, so the test starts polling itself.
 */
public final class RunningGateway implements AutoCloseable {
    private final GatewayService gateway;
    private final Duration drain;

    private RunningGateway(GatewayService gateway, Duration drain) {
        this.gateway = gateway;
        this.drain = drain;
    }

    /** Starts polling; {@link #close()} stops it, giving the writer {@code drain} to store what it holds. */
    public static RunningGateway start(GatewayService gateway, Duration drain) {
        gateway.start();
        return new RunningGateway(gateway, drain);
    }

    /** Waits until {@code table} of {@code db} holds at least {@code rows} rows. */
    public void awaitRows(TestDatabase db, String table, long rows, Duration within) {
        Await.until(within, () -> db.count("SELECT count(*) FROM " + table) >= rows);
    }

    @Override
    public void close() {
        gateway.stop(drain);
    }
}
