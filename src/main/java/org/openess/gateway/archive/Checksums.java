package org.openess.gateway.archive;

/**
 * Size and checksums of a file's bytes, in the encoding Cloud Storage reports them (base64 of the
 * big-endian CRC32C and of the MD5 digest), so they compare directly with object metadata and
 * with {@code gcloud storage objects describe}.
 */
public record Checksums(long bytes, String crc32c, String md5) {
}
