package org.openess.gateway.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * {@code file:} targets. Content is written to a hidden temporary file in the final folder, forced
 * to disk, then renamed over the final name: a rename within one file system is atomic, so a
 * reader sees the old file or the new one, never half of one.
 */
final class LocalFolderTarget implements ArchiveTarget {
    private final Path root;

    LocalFolderTarget(Path root) {
        this.root = root;
    }

    @Override
    public void checkReachable() {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new ArchiveException("archive folder " + root + " cannot be created: " + e);
        }
        if (!Files.isWritable(root)) {
            throw new ArchiveException("archive folder " + root + " is not writable");
        }
    }

    @Override
    public Path newTempFile(String objectName) throws IOException {
        Path dest = resolve(objectName);
        Files.createDirectories(dest.getParent());
        return Files.createTempFile(dest.getParent(), "." + dest.getFileName() + ".", ".partial");
    }

    @Override
    public PutResult put(String objectName, Path file, Checksums checksums, String contentType) {
        Path dest = resolve(objectName);
        try {
            Checksums previous = null;
            if (Files.exists(dest)) {
                previous = checksumsOf(dest);
                if (previous.equals(checksums)) {
                    Files.deleteIfExists(file);
                    return PutResult.unchanged();
                }
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            if (Files.size(file) != checksums.bytes()) {
                throw new ArchiveException("temporary file " + file + " has " + Files.size(file) + " bytes, expected "
                        + checksums.bytes());
            }
            try {
                Files.move(file, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new ArchiveException("cannot rename " + file + " to " + dest + " atomically: " + e.getMessage());
            }
            return previous == null ? PutResult.created() : PutResult.replaced(previous);
        } catch (IOException e) {
            throw new ArchiveException("cannot write " + dest + ": " + e, e);
        }
    }

    @Override
    public boolean exists(String objectName) {
        return Files.isRegularFile(resolve(objectName));
    }

    @Override
    public java.util.Optional<byte[]> read(String objectName) {
        Path file = resolve(objectName);
        try {
            return Files.isRegularFile(file) ? java.util.Optional.of(Files.readAllBytes(file)) : java.util.Optional.empty();
        } catch (IOException e) {
            throw new ArchiveException("cannot read " + file + ": " + e, e);
        }
    }

    @Override
    public void close() {
        // nothing held open between objects
    }

    Path resolve(String objectName) {
        return root.resolve(objectName);
    }

    static Checksums checksumsOf(Path file) {
        try (InputStream in = Files.newInputStream(file);
                ChecksumOutputStream sums = new ChecksumOutputStream(OutputStream.nullOutputStream())) {
            in.transferTo(sums);
            return sums.checksums();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    @Override
    public String toString() {
        return root.toUri().toString();
    }
}
