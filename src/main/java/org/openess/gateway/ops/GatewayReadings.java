package org.openess.gateway.ops;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.openess.gateway.GatewayService;
import org.openess.gateway.acquisition.DeviceCatalog;
import org.openess.gateway.acquisition.DevicePoller;
import org.openess.gateway.acquisition.DeviceHealth;
import org.openess.gateway.acquisition.DeviceStats;
import org.openess.gateway.config.EssConfig;
import org.openess.gateway.storage.Database;
import org.openess.gateway.storage.BufferCounters;
import org.openess.gateway.storage.RowBuffer;
import org.openess.gateway.storage.RowWriter;
import org.openess.gateway.storage.TableCounters;
import org.openess.gateway.storage.spool.SpoolRowBuffer;
import org.openess.gateway.sunspec.SunSpecSession;

import io.vertx.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The one place where the operator surfaces (API, metrics, health, page, alarms) read the
 * gateway's internals: device counters and state, the writer's counters, the database pool.
 * Everything else in ops/, api/, health/, metrics/ and alarm/ goes through here, so a change in
 * acquisition's or storage's counters changes only this class.
 * <p>
 * Device state, last success, consecutive failures and failure kinds come from acquisition's
 * {@link DeviceHealth}; writer counters per table come from the writer (written, duplicate,
 * rejected) and the buffers (dropped, the spool's memory fallback included); with the spool,
 * {@code spoolRecords} is its depth and {@code bufferRecords} 0.
 */
@ApplicationScoped
public class GatewayReadings {

    @Inject
    GatewayService gateway;
    @Inject
    Database database;
    @Inject
    EssConfig config;

    public boolean running() {
        return gateway.isRunning();
    }

    /** Null before the gateway started. */
    public DeviceCatalog catalog() {
        return gateway.catalog();
    }

    public Pool pool() {
        return database.pool();
    }

    public ZoneId archiveZone() {
        return ZoneId.of(config.archive().zone());
    }

    public List<DeviceReading> devices() {
        List<DeviceReading> out = new ArrayList<>();
        for (DevicePoller p : gateway.pollers().values()) {
            out.add(read(p));
        }
        out.sort(Comparator.comparing(DeviceReading::id));
        return out;
    }

    /** Null for an unknown id. */
    public DeviceReading device(String id) {
        DevicePoller p = gateway.pollers().get(id);
        return p == null ? null : read(p);
    }

    public List<String> deviceIds() {
        return gateway.pollers().keySet().stream().sorted().toList();
    }

    private static DeviceReading read(DevicePoller p) {
        DeviceStats s = p.stats();
        DeviceHealth h = s.health();
        Map<DeviceReading.FailureKey, Long> failed = new HashMap<>();
        for (DeviceStats.FailureCount f : s.failureCounts()) {
            failed.merge(new DeviceReading.FailureKey(f.kind(), f.exceptionCode() == 0 ? "" : Integer.toString(f.exceptionCode())),
                    f.reads(), Long::sum);
        }
        return new DeviceReading(p.device(), h.state(), h.connected(), s.lastTickMillis(),
                h.lastSuccessfulReadMillis() == 0 ? null : h.lastSuccessfulReadMillis(), h.consecutiveFailedCycles(),
                h.lastErrorKindLabel(), s.currentError(), s.lastCycleMicros(), s.ticks(), s.cyclesComplete(), s.cyclesPartial(),
                s.ticksMissed(), s.readsOk(), s.readsFailed(), failed, s.rows(), s.gapRows(), s.qualityEvents(), h, s.readsSkipped(),
                s.busyRetries());
    }

    /** The SunSpec discovery state of a device; null for devices with a profile file or unknown ids. */
    public SunSpecSession.Status sunspec(String id) {
        DevicePoller p = gateway.pollers().get(id);
        return p == null ? null : p.sunspec();
    }

    /** Null before the gateway started. */
    public WriterReading writer() {
        RowWriter w = gateway.writer();
        if (w == null) {
            return null;
        }
        RowWriter.WriterStats s = w.stats();
        RowBuffer buffer = w.buffer();
        BufferCounters c = buffer.counters();
        long accepted = c.rowsAccepted();
        long cycles = c.cyclesDropped();
        List<TableCounters> dropped = new ArrayList<>(2);
        dropped.add(c.droppedByTable());
        SpoolRowBuffer spool = buffer instanceof SpoolRowBuffer b ? b : null;
        if (spool != null) {
            BufferCounters f = spool.fallbackCounters();
            accepted += f.rowsAccepted();
            cycles += f.cyclesDropped();
            dropped.add(f.droppedByTable());
        }
        Map<String, WriterReading.TableCounts> perTable = new TreeMap<>();
        Set<String> tables = new TreeSet<>(s.writtenByTable().view().keySet());
        tables.addAll(s.rejectedByTable().view().keySet());
        dropped.forEach(d -> tables.addAll(d.view().keySet()));
        for (String t : tables) {
            long d = 0;
            for (TableCounters tc : dropped) {
                d += tc.get(t);
            }
            perTable.put(t, new WriterReading.TableCounts(s.writtenByTable().get(t), s.duplicateByTable().get(t), d,
                    s.rejectedByTable().get(t)));
        }
        boolean durable = buffer.durable();
        long size = buffer.size();
        return new WriterReading(w.isSchemaReady(), gateway.schema() != null && gateway.schema().hypertables(), durable,
                durable ? 0 : size, buffer.capacity(), durable ? size : -1, accepted, cycles, perTable, s.qualityWritten(),
                s.gapsWritten(), s.statements(), s.failedStatements(), s.tickToCommit().percentile(0.50),
                s.tickToCommit().percentile(0.99), s.tickToCommit().max(), s.tickToCommit().count(),
                s.replayTickToCommit().percentile(0.99), s.replayTickToCommit().count(), s.lastError(),
                spool == null ? null : spool.status());
    }

    /** Restarts the tick-to-commit histogram (benchmarks exclude their warm-up); false before start. */
    public boolean resetLatency() {
        RowWriter w = gateway.writer();
        if (w != null) {
            w.stats().tickToCommit().reset();
            w.stats().replayTickToCommit().reset();
        }
        return w != null;
    }
}
