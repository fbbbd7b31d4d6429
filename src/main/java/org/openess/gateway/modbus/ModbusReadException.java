package org.openess.gateway.modbus;

/**
 * A read that produced no values; {@link Kind} says whether the link or the device is at fault,
 * and {@link #exceptionCode()} which Modbus exception a device answered with.
 */
public class ModbusReadException extends RuntimeException {
    public enum Kind {
        /** The device answered with a Modbus exception response (the link is fine). */
        EXCEPTION_RESPONSE,
        /** No answer within the per-request timeout. */
        TIMEOUT,
        /** No TCP connection (connecting, refused, closed). */
        NOT_CONNECTED,
        /** A frame that breaks the protocol. */
        BAD_FRAME
    }

    /** Exception 06: the server is busy; worth one more try a moment later. */
    public static final int SERVER_BUSY = 6;
    /** Exception 0A: the gateway has no path to the unit. */
    public static final int GATEWAY_PATH_UNAVAILABLE = 10;
    /** Exception 0B: the unit behind the gateway did not answer. */
    public static final int GATEWAY_TARGET_FAILED = 11;

    private final Kind kind;
    private final int exceptionCode;

    public ModbusReadException(Kind kind, String message) {
        this(kind, 0, message);
    }

    private ModbusReadException(Kind kind, int exceptionCode, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.exceptionCode = exceptionCode;
    }

    /** The device (or the gateway in front of it) answered exception {@code code}. */
    public static ModbusReadException exceptionResponse(int code) {
        return new ModbusReadException(Kind.EXCEPTION_RESPONSE, code,
                "device answered exception " + code + " (" + ModbusPdus.exceptionName(code) + ")");
    }

    public Kind kind() {
        return kind;
    }

    /** The Modbus exception code of an {@link Kind#EXCEPTION_RESPONSE}, 0 for every other kind. */
    public int exceptionCode() {
        return exceptionCode;
    }

    /**
     * Whether the unit itself did not answer: a timeout, no connection, or a gateway saying the
     * unit behind it is unreachable (0A/0B). A device that answers anything else is alive.
     */
    public boolean unitSilent() {
        return kind == Kind.TIMEOUT || kind == Kind.NOT_CONNECTED
                || exceptionCode == GATEWAY_PATH_UNAVAILABLE || exceptionCode == GATEWAY_TARGET_FAILED;
    }
}
