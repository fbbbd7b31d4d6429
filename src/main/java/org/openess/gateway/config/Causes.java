package org.openess.gateway.config;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What an error message should say when the exception that arrives only wraps the one that matters. */
public final class Causes {
    private Causes() {
    }

    /**
     * The innermost message: start-up failures arrive wrapped ("Failed to start quarkus" around
     * the configuration error), client failures around the socket error. Wrappers that only repeat
     * their cause are skipped; an innermost exception without a message is named by its class.
     */
    public static String rootMessage(Throwable t) {
        String message = null;
        Throwable innermost = t;
        int depth = 0;
        for (Throwable c = t; c != null && depth < 20; c = c.getCause(), depth++) {
            innermost = c;
            if (c.getMessage() != null && !(c instanceof CompletionException) && !(c instanceof ExecutionException)) {
                message = c.getMessage();
            }
        }
        return message == null ? innermost.toString() : message;
    }
}
