package org.openess.gateway.storage;

/** The database's tables cannot take the profiles' rows (a column of another type, say). */
public class SchemaException extends RuntimeException {
    public SchemaException(String message) {
        super(message);
    }
}
