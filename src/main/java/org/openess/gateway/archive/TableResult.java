package org.openess.gateway.archive;

import java.time.Duration;

/** One archived file: its object name, rows, checksums and what the target did with it. */
public record TableResult(String table, String object, long rows, Checksums checksums, PutResult put, Duration took) {
}
