package org.openess.gateway.alarm;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.Logger;
import org.openess.gateway.decode.Alarm;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The alarms active right now, kept beside the spool ({@value #NAME} in {@code ess.spool.dir}) so
 * that a gateway restarted while the database is down (or after a crash) carries them on instead
 * of raising them again: their starts are in the spool, waiting for the database, where the
 * database cannot be asked for them. Rewritten whole (write, force, rename) on every start or end
 * of an alarm, on a thread of its own: alarms are rare and the set is small, and the event loop
 * that raised them never waits for the disk. Only the newest set is written when several wait.
 */
final class ActiveAlarmsFile implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ActiveAlarmsFile.class);
    static final String NAME = "alarms-active.json";

    private final Path file;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ess-alarms-file");
        t.setDaemon(true);
        return t;
    });
    /** The newest set not yet written; null when the file is up to date. */
    private final AtomicReference<List<Alarm>> pending = new AtomicReference<>();

    ActiveAlarmsFile(Path folder) {
        this.file = folder.resolve(NAME);
    }

    /** What the last run left; empty when there is no file or it cannot be read (said in the log). */
    List<Alarm> read() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            JsonArray a = new JsonArray(Files.readString(file, StandardCharsets.UTF_8));
            List<Alarm> out = new ArrayList<>(a.size());
            for (int i = 0; i < a.size(); i++) {
                out.add(fromJson(a.getJsonObject(i)));
            }
            return out;
        } catch (IOException | RuntimeException e) {
            LOG.warnf("cannot read the active alarms of the last run from %s (%s): they are not carried on", file, e.getMessage());
            return List.of();
        }
    }

    /** Replaces the file's content with {@code active}, soon, off the caller's thread. */
    void save(Collection<Alarm> active) {
        if (pending.getAndSet(List.copyOf(active)) == null) {
            writer.execute(this::writePending);
        }
    }

    private void writePending() {
        List<Alarm> active = pending.getAndSet(null);
        if (active == null) {
            return;
        }
        JsonArray a = new JsonArray();
        active.forEach(alarm -> a.add(toJson(alarm)));
        Path tmp = file.resolveSibling(NAME + ".tmp");
        try {
            Files.writeString(tmp, a.encode(), StandardCharsets.UTF_8);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warnf("cannot save the active alarms to %s (%s): a restart before the database has them raises them again",
                    file, e.getMessage());
        }
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static JsonObject toJson(Alarm a) {
        return new JsonObject().put("id", a.id().toString()).put("device", a.device()).put("bank", a.bank()).put("rack", a.rack())
                .put("code", a.code()).put("level", a.level()).put("column", a.column()).put("unit", a.unit())
                .put("value", a.value()).put("limit", a.limit()).put("message", a.message()).put("start", a.startMillis())
                .put("peak", Double.isFinite(a.peak()) ? a.peak() : null);
    }

    static Alarm fromJson(JsonObject j) {
        return new Alarm(UUID.fromString(j.getString("id")), j.getString("device"), j.getInteger("bank"), j.getInteger("rack"),
                j.getString("code"), j.getString("level"), j.getString("column"), j.getString("unit"), j.getDouble("value"),
                j.getDouble("limit"), j.getString("message"), j.getLong("start"), 0, j.getDouble("peak", Double.NaN));
    }
}
