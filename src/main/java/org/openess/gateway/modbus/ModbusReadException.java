package org.openess.gateway.modbus;

/** A read that produced no values; {@link Kind} says whether the link or the device is at fault. */
public class ModbusReadException extends RuntimeException {
    public enum Kind {
        /** The device answered with a Modbus exception response (the link is fine). */
        EXCEPTION_RESPONSE,
        /** No answer within the per-request timeout. */
        TIMEOUT,
        /** No TCP connection (connecting, refused, closed). */
        NOT_CONNECTED,
        /** A frame that breaks the protocol; the connection is dropped to resynchronise. */
        BAD_FRAME
    }

    private final Kind kind;

    public ModbusReadException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
