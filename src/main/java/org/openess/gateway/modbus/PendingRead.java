package org.openess.gateway.modbus;

import org.openess.gateway.plan.ReadRequest;

import io.vertx.core.Promise;

/**
 * A read waiting for, or out on, a link that carries one request at a time: a Modbus TCP
 * connection or an RTU bus. Both queue these and answer the caller through {@link #promise}.
 */
final class PendingRead {
    final ReadRequest read;
    final int unitId;
    final long timeoutMillis;
    final Promise<int[]> promise = Promise.promise();
    /** When the request went on the wire; the RTU bus charges its bus time from here. */
    long sentNanos;
    long deadlineNanos;
    /** The MBAP transaction id the answer must carry (Modbus TCP only: RTU frames have none). */
    int transactionId;

    PendingRead(ReadRequest read, int unitId, long timeoutMillis) {
        this.read = read;
        this.unitId = unitId;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * Marks the request sent at {@code now}: its answer is due within the timeout after
     * {@code wireNanos}, the time the request and the answer take on the line itself.
     */
    void sent(long now, long wireNanos) {
        sentNanos = now;
        deadlineNanos = now + wireNanos + timeoutMillis * 1_000_000;
    }
}
