package org.openess.gateway.archive;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A place for archive objects (a local folder or a Cloud Storage bucket). Object names are
 * relative to the target's prefix. {@link #put} makes an object visible under its name only once
 * its whole content is there and verified, and leaves an identical object alone.
 */
public interface ArchiveTarget extends AutoCloseable {

    /** Fails with a message saying what is wrong when the target cannot be written. */
    void checkReachable();

    /** A fresh temporary file for the content of {@code objectName}; the caller deletes it. */
    Path newTempFile(String objectName) throws IOException;

    PutResult put(String objectName, Path file, Checksums checksums, String contentType);

    boolean exists(String objectName);

    /** The object's content, read back from the target; empty when there is no such object. */
    java.util.Optional<byte[]> read(String objectName);

    @Override
    void close();
}
