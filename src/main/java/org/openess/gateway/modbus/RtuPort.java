package org.openess.gateway.modbus;

import io.vertx.core.Future;
import io.vertx.core.Handler;

/**
 * The byte line under an {@link RtuBus}: a serial port ({@link SerialRtuPort}) or a TCP socket to a
 * serial-to-Ethernet converter ({@link TcpRtuPort}). Called on the bus's context; its callbacks
 * run there too, never on a thread that blocks.
 */
public interface RtuPort {

    /** Bytes received while open. */
    interface Listener {
        void data(byte[] bytes);

        /** The line was lost (closed by the peer, unplugged, an I/O error); reconnecting is the bus's job. */
        void lost(String reason);
    }

    /** Opens the line; a failure says why (no such port, refused, busy). */
    Future<Void> open(Listener listener);

    /** Drops input not read yet, so an answer to an earlier request is not taken for the next. */
    void discardInput();

    void write(byte[] frame);

    void close();

    /** The serial port path, or {@code host:port}. */
    String address();

    /** Nanoseconds one character takes on the wire; 0 when the line's speed is not known (TCP). */
    long charNanos();

    /**
     * Whether a line that stopped answering everyone may be half-open and should be reopened
     * (a TCP socket may; a serial port that is still there is not helped by reopening).
     */
    boolean reopenWhenSilent();
}
