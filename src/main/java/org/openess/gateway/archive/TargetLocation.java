package org.openess.gateway.archive;

import java.net.URI;
import java.nio.file.Path;

/** Where archive objects go, parsed from {@code ess.archive.target}. */
public sealed interface TargetLocation {

    record LocalFolder(Path dir) implements TargetLocation {
        @Override
        public String toString() {
            return dir.toUri().toString();
        }
    }

    /** {@code prefix} has no leading or trailing slash; empty puts sites at the bucket's root. */
    record GcsBucket(String bucket, String prefix) implements TargetLocation {
        @Override
        public String toString() {
            return "gs://" + bucket + "/" + prefix;
        }
    }

    static TargetLocation parse(String target) {
        String t = target.trim();
        if (t.startsWith("gs://")) {
            String rest = t.substring("gs://".length());
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String prefix = slash < 0 ? "" : trimSlashes(rest.substring(slash + 1));
            // GCS bucket names: 3-63 characters (up to 222 with dots), lower case, digits, - _ .
            if (!bucket.matches("[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]")) {
                throw new IllegalArgumentException("ess.archive.target: '" + bucket + "' is not a valid bucket name in '" + target
                        + "' (expected gs://bucket/prefix, lower-case bucket name)");
            }
            return new GcsBucket(bucket, prefix);
        }
        if (t.startsWith("file:")) {
            Path dir;
            if (t.startsWith("file:/")) {
                try {
                    dir = Path.of(URI.create(t));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("ess.archive.target: '" + target + "' is not a file URI ("
                            + e.getMessage() + "); expected file:///absolute/dir or file:relative/dir");
                }
            } else {
                String relative = t.substring("file:".length());
                if (relative.isBlank()) {
                    throw new IllegalArgumentException("ess.archive.target: '" + target + "' names no folder");
                }
                dir = Path.of(relative);
            }
            return new LocalFolder(dir.toAbsolutePath().normalize());
        }
        throw new IllegalArgumentException("ess.archive.target: expected gs://bucket/prefix or file:///dir, got '" + target + "'");
    }

    private static String trimSlashes(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && s.charAt(b) == '/') {
            b++;
        }
        while (e > b && s.charAt(e - 1) == '/') {
            e--;
        }
        return s.substring(b, e);
    }
}
