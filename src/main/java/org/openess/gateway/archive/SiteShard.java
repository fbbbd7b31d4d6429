package org.openess.gateway.archive;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Which sites one task of a parallel archive job archives. A Cloud Run job started with
 * {@code --tasks N} runs N copies of the {@code archive} command, each with
 * {@code CLOUD_RUN_TASK_INDEX} (0..N-1) and {@code CLOUD_RUN_TASK_COUNT} (N) in its environment;
 * each copy archives the sites this class assigns to its index and skips the others.
 * <p>
 * The assignment depends on the site id alone (CRC-32 of its UTF-8 bytes, modulo the count), not
 * on which other sites exist: tasks list the sites each on its own, moments apart, and a site that
 * appears in between must still go to exactly one task, never to none. The same site lands on the
 * same task every day, so its log lines are in one place. The price: with few sites per task the
 * shares are uneven (a hash, not a round robin). A retried task gets the same index and so the
 * same sites. Outside a Cloud Run job (no such variables) there is one task that owns every site.
 */
public record SiteShard(int index, int count) {
    public static final String INDEX_ENV = "CLOUD_RUN_TASK_INDEX";
    public static final String COUNT_ENV = "CLOUD_RUN_TASK_COUNT";
    public static final SiteShard ALL = new SiteShard(0, 1);

    public SiteShard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("archive task " + index + " of " + count + ": the index must be in 0.." + (count - 1)
                    + " and the count at least 1 (" + INDEX_ENV + ", " + COUNT_ENV + ")");
        }
    }

    /** From {@code CLOUD_RUN_TASK_INDEX}/{@code CLOUD_RUN_TASK_COUNT}; {@link #ALL} when neither is set. */
    public static SiteShard fromEnvironment(Map<String, String> env) {
        String index = env.get(INDEX_ENV);
        String count = env.get(COUNT_ENV);
        if (index == null && count == null) {
            return ALL;
        }
        if (index == null || count == null) {
            throw new IllegalArgumentException("archive: " + (index == null ? INDEX_ENV : COUNT_ENV) + " is not set but "
                    + (index == null ? COUNT_ENV : INDEX_ENV) + " is; a sharded archive needs both");
        }
        return new SiteShard(parse(INDEX_ENV, index), parse(COUNT_ENV, count));
    }

    private static int parse(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("archive: " + name + " must be a whole number, got '" + value + "'");
        }
    }

    /** The task that archives {@code site}. */
    public static int taskOf(String site, int count) {
        CRC32 crc = new CRC32();
        crc.update(site.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % count);
    }

    public boolean owns(String site) {
        return count == 1 || taskOf(site, count) == index;
    }

    @Override
    public String toString() {
        return count == 1 ? "all sites" : "task " + index + " of " + count + " (its share of the sites)";
    }
}
