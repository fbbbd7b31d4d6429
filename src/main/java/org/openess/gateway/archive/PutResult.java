package org.openess.gateway.archive;

/** What a target did with a file: {@code previous} holds the replaced object's checksums, else null. */
public record PutResult(Outcome outcome, Checksums previous) {
    public enum Outcome {
        /** No object had that name. */
        CREATED,
        /** An object with other content had that name; it is replaced as a whole. */
        REPLACED,
        /** An identical object is already there; nothing was written. */
        UNCHANGED
    }

    static PutResult created() {
        return new PutResult(Outcome.CREATED, null);
    }

    static PutResult unchanged() {
        return new PutResult(Outcome.UNCHANGED, null);
    }

    static PutResult replaced(Checksums previous) {
        return new PutResult(Outcome.REPLACED, previous);
    }
}
