package org.openess.gateway.archive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.openess.gateway.config.Causes;

import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;

/**
 * {@code gs://} targets. An object becomes visible only when its upload completes (multipart or
 * the last chunk of a resumable upload), so a failed upload leaves no partial object. Every
 * upload carries the file's CRC32C and MD5, which Cloud Storage checks before it accepts the
 * object, and the stored object's checksums are compared again afterwards. Each write is
 * conditional on the generation seen before (or on absence), which makes it safe for the client
 * to retry after a 503 or a timeout, and stops two writers from silently overwriting each other.
 */
final class GcsTarget implements ArchiveTarget {
    private static final int COPY_BUFFER = 256 * 1024;

    private final Storage storage;
    private final String bucket;
    private final String prefix;
    private final int chunkSize;
    private final Path workDir;

    GcsTarget(Storage storage, String bucket, String prefix, int chunkSize, Path workDir) {
        this.storage = storage;
        this.bucket = bucket;
        this.prefix = prefix;
        this.chunkSize = chunkSize;
        this.workDir = workDir;
    }

    @Override
    public void checkReachable() {
        try {
            storage.list(bucket, Storage.BlobListOption.prefix(prefix.isEmpty() ? "" : prefix + "/"),
                    Storage.BlobListOption.pageSize(1));
        } catch (StorageException e) {
            throw new ArchiveException(describe(e, "gs://" + bucket), e);
        }
    }

    @Override
    public Path newTempFile(String objectName) throws IOException {
        Files.createDirectories(workDir);
        return Files.createTempFile(workDir, "ess-archive-", ".partial");
    }

    @Override
    public PutResult put(String objectName, Path file, Checksums checksums, String contentType) {
        BlobId id = BlobId.of(bucket, fullName(objectName));
        try {
            Blob existing = storage.get(id);
            Checksums previous = existing == null ? null : checksumsOf(existing);
            if (checksums.equals(previous)) {
                return PutResult.unchanged();
            }
            BlobInfo info = BlobInfo.newBuilder(id).setContentType(contentType).setCrc32c(checksums.crc32c())
                    .setMd5(checksums.md5()).build();
            Blob stored;
            try {
                stored = upload(info, file, checksums, existing);
            } catch (StorageException e) {
                // 412 after a retry: the first attempt may have landed and only its answer got lost
                Blob now = e.getCode() == 412 ? storage.get(id) : null;
                if (now == null || !checksums.equals(checksumsOf(now))) {
                    throw e;
                }
                stored = now;
            }
            Checksums got = checksumsOf(stored);
            if (!stored.getName().equals(id.getName()) || !checksums.equals(got)) {
                throw new ArchiveException("upload of gs://" + bucket + "/" + id.getName() + " not verified: Cloud Storage reports "
                        + stored.getName() + " " + got + ", the file has " + checksums);
            }
            return previous == null ? PutResult.created() : PutResult.replaced(previous);
        } catch (StorageException e) {
            throw new ArchiveException(describe(e, "gs://" + bucket + "/" + id.getName()), e);
        } catch (IOException e) {
            throw new ArchiveException("cannot upload " + file + " to gs://" + bucket + "/" + id.getName() + ": " + e, e);
        }
    }

    private Blob upload(BlobInfo info, Path file, Checksums checksums, Blob existing) throws IOException {
        if (checksums.bytes() <= chunkSize) {
            // small enough to hold: one multipart request (metadata with checksums, then content)
            List<Storage.BlobTargetOption> options = new ArrayList<>(List.of(Storage.BlobTargetOption.disableGzipContent()));
            options.add(existing == null ? Storage.BlobTargetOption.doesNotExist()
                    : Storage.BlobTargetOption.generationMatch(existing.getGeneration()));
            return storage.create(info, Files.readAllBytes(file), options.toArray(Storage.BlobTargetOption[]::new));
        }
        List<Storage.BlobWriteOption> options = new ArrayList<>(List.of(Storage.BlobWriteOption.disableGzipContent(),
                Storage.BlobWriteOption.crc32cMatch(), Storage.BlobWriteOption.md5Match()));
        options.add(existing == null ? Storage.BlobWriteOption.doesNotExist()
                : Storage.BlobWriteOption.generationMatch(existing.getGeneration()));
        // a resumable upload in chunks of chunk-size: memory stays at one chunk, and a failed chunk is
        // resent from the last offset the service confirmed, not from the start of the file
        try (WriteChannel channel = storage.writer(info, options.toArray(Storage.BlobWriteOption[]::new));
                FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            channel.setChunkSize(chunkSize);
            ByteBuffer buffer = ByteBuffer.allocate(COPY_BUFFER);
            while (in.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                buffer.clear();
            }
        }
        // the upload's own answer is not exposed by the channel: read the stored metadata back
        Blob stored = storage.get(info.getBlobId());
        if (stored == null) {
            throw new ArchiveException("upload of gs://" + bucket + "/" + info.getName() + " finished but the object is not there");
        }
        return stored;
    }

    @Override
    public boolean exists(String objectName) {
        try {
            return storage.get(BlobId.of(bucket, fullName(objectName))) != null;
        } catch (StorageException e) {
            throw new ArchiveException(describe(e, "gs://" + bucket + "/" + fullName(objectName)), e);
        }
    }

    @Override
    public java.util.Optional<byte[]> read(String objectName) {
        BlobId id = BlobId.of(bucket, fullName(objectName));
        try {
            Blob blob = storage.get(id);
            return blob == null ? java.util.Optional.empty() : java.util.Optional.of(blob.getContent());
        } catch (StorageException e) {
            throw new ArchiveException(describe(e, "gs://" + bucket + "/" + id.getName()), e);
        }
    }

    @Override
    public void close() {
        try {
            storage.close();
        } catch (Exception e) {
            // the client holds only pooled HTTP connections; the process is done with them
        }
    }

    String fullName(String objectName) {
        return prefix.isEmpty() ? objectName : prefix + "/" + objectName;
    }

    private static Checksums checksumsOf(Blob blob) {
        return new Checksums(blob.getSize() == null ? -1 : blob.getSize(), blob.getCrc32c(), blob.getMd5());
    }

    static String describe(StorageException e, String what) {
        return switch (e.getCode()) {
            case 404 -> what + ": bucket not found (check ess.archive.target)";
            case 401, 403 -> what + ": access denied (" + e.getMessage() + "); the credentials need storage.objects.create, "
                    + "get, list and delete on the bucket (roles/storage.objectAdmin)";
            case 0 -> what + ": Cloud Storage unreachable (" + Causes.rootMessage(e) + ")";
            default -> what + ": Cloud Storage answered " + e.getCode() + " (" + e.getMessage() + ")";
        };
    }

    @Override
    public String toString() {
        return "gs://" + bucket + "/" + prefix;
    }
}
