package org.openess.gateway.modbus;

import org.jboss.logging.Logger;
import org.openess.gateway.logging.BudgetedLog;

/**
 * What one connection says about its problems: at most one WARN per minute (a device that drops
 * the connection every second must not write a line every second; its pollers log the device
 * state changes), and those through the gateway's shared {@link BudgetedLog} when there is one,
 * so a thousand failing connections write a bounded number of lines and a summary. Confined to
 * the connection's context.
 */
final class ConnectionLog {
    static final Logger LOG = Logger.getLogger(ModbusTcpConnection.class);
    private static final long WARN_INTERVAL_NANOS = 60_000_000_000L;

    /** Null: straight to {@link #LOG}. */
    private BudgetedLog shared;
    private long lastWarnNanos;
    private boolean warned;
    /** A loss or failure was logged at WARN: the next successful connect is worth an INFO line. */
    private boolean troubleLogged;

    void share(BudgetedLog log) {
        this.shared = log;
    }

    /** A problem; {@code cause} is what the shared budget counts it under when its lines are spent. */
    void warn(String cause, String message) {
        long now = System.nanoTime();
        if (!warned || now - lastWarnNanos >= WARN_INTERVAL_NANOS) {
            warned = true;
            lastWarnNanos = now;
            troubleLogged = true;
            String line = message + " (further connection problems within 60 s are logged at DEBUG)";
            if (shared != null) {
                shared.warn(cause, line);
            } else {
                LOG.warn(line);
            }
        } else {
            LOG.debug(message);
        }
    }

    /** Connected: says so when a problem was logged before. */
    void connected(String address, int failedAttempts) {
        if (!troubleLogged) {
            return;
        }
        troubleLogged = false;
        String message = "connected to " + address + " again (after " + failedAttempts + " failed attempt(s))";
        if (shared != null) {
            shared.info("reconnects", message);
        } else {
            LOG.info(message);
        }
    }
}
