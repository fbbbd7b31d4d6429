package org.openess.gateway.decode;

/** Rows of one table that a cycle could not fill, and why (the failed read, the missed tick). */
public record GapEvent(String device, long tickMillis, String table, int missingRows, String reason) {
}
