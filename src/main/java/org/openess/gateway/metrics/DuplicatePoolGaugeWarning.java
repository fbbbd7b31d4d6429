package org.openess.gateway.metrics;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

import org.jboss.logmanager.ExtLogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Drops one known, harmless warning: the reactive PostgreSQL pool's queue gauge
 * ({@code postgresql.queue.size}) is registered twice by Quarkus' SQL client metrics and
 * Micrometer warns on every start ("This Gauge has been already registered"); the gauge itself
 * works. Quarkus fixes the double registration in a later release (quarkusio/quarkus#47504);
 * until the gateway moves to it, this filter (installed on the console by
 * {@code quarkus.log.console.filter}) keeps that line out of every run's log while every other
 * warning, including other duplicate meters, still shows.
 */
@LoggingFilter(name = "duplicate-pool-gauge")
public final class DuplicatePoolGaugeWarning implements Filter {
    static final String LOGGER = "io.micrometer.core.instrument.MeterRegistry";

    @Override
    public boolean isLoggable(LogRecord record) {
        if (!LOGGER.equals(record.getLoggerName())) {
            return true;
        }
        String message = record instanceof ExtLogRecord e ? e.getFormattedMessage() : record.getMessage();
        return message == null || !(message.contains("already registered") && message.contains("name='postgresql.queue.size'"));
    }
}
