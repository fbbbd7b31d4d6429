package org.openess.gateway.sunspec;

/** A SunSpec model file that cannot be used, or a device whose model chain cannot be read. */
public class SunSpecException extends RuntimeException {
    public SunSpecException(String message) {
        super(message);
    }

    public SunSpecException(String message, Throwable cause) {
        super(message, cause);
    }
}
