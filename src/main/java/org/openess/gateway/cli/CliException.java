package org.openess.gateway.cli;

/** Bad command-line input; the message is printed as is and the process exits with code 2. */
public class CliException extends RuntimeException {
    public CliException(String message) {
        super(message);
    }
}
