package org.openess.gateway.archive;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.zip.CRC32C;

/** Counts and checksums the bytes on their way to the file, so the file is never read twice. */
final class ChecksumOutputStream extends FilterOutputStream {
    private final CRC32C crc = new CRC32C();
    private final MessageDigest md5;
    private long bytes;

    ChecksumOutputStream(OutputStream out) {
        super(out);
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5", e);
        }
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        crc.update(b);
        md5.update((byte) b);
        bytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        crc.update(b, off, len);
        md5.update(b, off, len);
        bytes += len;
    }

    long bytes() {
        return bytes;
    }

    /** Call once, after the last write. */
    Checksums checksums() {
        return new Checksums(bytes, crc32cBase64(crc.getValue()), Base64.getEncoder().encodeToString(md5.digest()));
    }

    static String crc32cBase64(long crc) {
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc).array());
    }
}
