package org.openess.gateway.sunspec;

/** A model file that cannot be used: which file, where in it (group and point) and why. */
public final class ModelFileException extends SunSpecException {
    private final String source;
    private final String where;
    private final String reason;

    public ModelFileException(String source, String where, String reason) {
        this(source, where, reason, null);
    }

    public ModelFileException(String source, String where, String reason, Throwable cause) {
        super(source + ": " + where + ": " + reason, cause);
        this.source = source;
        this.where = where;
        this.reason = reason;
    }

    public String source() {
        return source;
    }

    /** The place in the file: {@code model 704 group 'DERCtlAC' point 'X'}, or {@code file} / {@code line N}. */
    public String where() {
        return where;
    }

    public String reason() {
        return reason;
    }
}
