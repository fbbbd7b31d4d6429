package org.openess.gateway.archive;

import java.nio.file.Path;

/** A table's day for one site, written to a temporary file: what goes up and what the manifest records. */
record ExportedFile(Path file, long rows, Checksums checksums) {
}
