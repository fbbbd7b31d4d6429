package org.openess.gateway.sunspec;

/** A SunSpec model file that cannot be used, or a device whose model chain cannot be read (a register-map error). */
public class SunSpecException extends org.openess.gateway.profile.ProfileException {
    public SunSpecException(String message) {
        super(message);
    }

    public SunSpecException(String message, Throwable cause) {
        super(message, cause);
    }
}
