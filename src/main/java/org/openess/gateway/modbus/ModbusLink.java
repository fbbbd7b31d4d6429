package org.openess.gateway.modbus;

import org.openess.gateway.plan.ReadRequest;

import io.vertx.core.Context;
import io.vertx.core.Future;

/**
 * What a poller needs of the line to its device, whatever carries it: a Modbus TCP connection
 * ({@link ModbusTcpConnection}) or an RTU bus on a serial line or a TCP socket ({@link RtuBus}).
 * Every method must be called on {@link #context()}; requests are serialised by the link.
 */
public interface ModbusLink {

    /** Starts connecting (and keeps reconnecting after losses, with backoff). */
    void open();

    /** Stops: fails what waits, closes the line, no more reconnects. */
    void close();

    /**
     * Reads one planned request from {@code unitId}; fails fast with NOT_CONNECTED while the line
     * is down. The timeout runs from when the request goes on the wire, not from when it queues.
     */
    Future<int[]> read(int unitId, ReadRequest read, long timeoutMillis);

    /** The line is up and requests go out. */
    boolean isConnected();

    /**
     * Whether the first connect attempt has ended (ready for requests, failed, or lost before it
     * was ready); until then the devices on the link are still connecting, not offline.
     */
    boolean firstAttemptSettled();

    /** Successful connects (or serial port opens) so far; a change means a new connection. */
    long connects();

    long disconnects();

    /** Where the link goes, for logs and the operator ({@code host:port} or the serial port path). */
    String address();

    /** Why the link is down (or the last problem), null while it is fine. */
    String lastError();

    Context context();

    /**
     * Bus time spent on {@code unitId}'s requests so far, in nanoseconds: from a request on the wire
     * until its answer (or timeout) plus the silence after it. 0 on a link that is not a shared bus.
     */
    default long busNanos(int unitId) {
        return 0;
    }
}
