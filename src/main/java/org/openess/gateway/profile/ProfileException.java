package org.openess.gateway.profile;

/** A register map that cannot be used; the message names the file and the offending entry. */
public class ProfileException extends RuntimeException {
    public ProfileException(String message) {
        super(message);
    }

    public ProfileException(String message, Throwable cause) {
        super(message, cause);
    }
}
