package org.openess.gateway.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

import org.openess.gateway.testsupport.UnitTest;

/** Only the pool's duplicate queue gauge warning is dropped; every other line, other duplicate gauges included, is kept. */
@UnitTest
class DuplicatePoolGaugeWarningTest {
    private static LogRecord record(String logger, String message) {
        LogRecord r = new LogRecord(Level.WARNING, message);
        r.setLoggerName(logger);
        return r;
    }

    @Test
    void dropsOnlyThePoolQueueGaugeWarning() {
        DuplicatePoolGaugeWarning filter = new DuplicatePoolGaugeWarning();
        assertFalse(filter.isLoggable(record(DuplicatePoolGaugeWarning.LOGGER, "This Gauge has been already registered (MeterId{name="
                + "'postgresql.queue.size', tags=[tag(clientName=<default>),tag(clientType=sql)]}), the registration will be ignored. "
                + "Note that subsequent logs will be logged at debug level.")));
        assertTrue(filter.isLoggable(record(DuplicatePoolGaugeWarning.LOGGER, "This Gauge has been already registered (MeterId{name="
                + "'ess.buffer.records', tags=[]}), the registration will be ignored.")));
        assertTrue(filter.isLoggable(record("org.openess.gateway.GatewayService", "postgresql.queue.size already registered")));
        assertTrue(filter.isLoggable(record(DuplicatePoolGaugeWarning.LOGGER, null)));
    }
}
