package org.openess.gateway.archive;

/** An archive run cannot go on (unreachable target, missing credentials, failed upload); the message says why. */
public class ArchiveException extends RuntimeException {
    public ArchiveException(String message) {
        super(message);
    }

    public ArchiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
