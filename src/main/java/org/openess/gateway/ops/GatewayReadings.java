package org.openess.gateway.ops;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.openess.gateway.GatewayService;
import org.openess.gateway.acquisition.DeviceCatalog;
import org.openess.gateway.acquisition.DevicePoller;
import org.openess.gateway.acquisition.DeviceStats;
import org.openess.gateway.config.EssConfig;
import org.openess.gateway.storage.Database;
import org.openess.gateway.storage.RowWriter;
import org.openess.gateway.sunspec.SunSpecSession;

import io.vertx.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The one place where the operator surfaces (API, metrics, health, page, alarms) read the
 * gateway's internals: device counters and state, the writer's counters, the database pool.
 * Everything else in ops/, api/, health/, metrics/ and alarm/ goes through here, so when
 * acquisition gains its own device-state model (consecutive failures, last success, failures by
 * kind) or storage its per-table counters and spool, only this class changes.
 * <p>
 * Until then the state is derived from what {@link DeviceStats} holds: OFFLINE without a
 * connection, DEGRADED when the last cycle had failed reads, OK otherwise; failed reads are one
 * total under kind "unclassified"; writer counters are totals under table "all".
 */
@ApplicationScoped
public class GatewayReadings {
    public static final String ALL_TABLES = "all";
    static final DeviceReading.FailureKey UNCLASSIFIED = new DeviceReading.FailureKey("unclassified", "");

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
        boolean connected = s.connected;
        String lastError = s.lastError;
        DeviceState state = !connected ? DeviceState.OFFLINE : lastError != null ? DeviceState.DEGRADED : DeviceState.OK;
        long failed = s.readsFailed.get();
        return new DeviceReading(p.device(), state, connected, s.lastTickMillis, null, null, null, lastError, s.lastCycleMicros,
                s.ticks.get(), s.cyclesComplete.get(), s.cyclesPartial.get(), s.ticksMissed.get(), s.readsOk.get(), failed,
                Map.of(UNCLASSIFIED, failed), s.rows.get(), s.gapRows.get(), s.qualityEvents.get());
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
        RowWriter.WriterStats s = w.stats;
        var counts = new WriterReading.TableCounts(s.rowsWritten.get(), s.rowsDuplicate.get(), s.rowsDropped.get(),
                s.rowsRejected.get());
        return new WriterReading(w.isSchemaReady(), gateway.schema() != null && gateway.schema().hypertables(), w.buffer().size(),
                w.buffer().capacity(), -1, s.rowsAccepted.get(), Map.of(ALL_TABLES, counts), s.qualityWritten.get(),
                s.gapsWritten.get(), s.statements.get(), s.failedStatements.get(), s.tickToCommit.percentile(0.50),
                s.tickToCommit.percentile(0.99), s.tickToCommit.max(), s.tickToCommit.count(), s.lastError);
    }

    /** Restarts the tick-to-commit histogram (benchmarks exclude their warm-up); false before start. */
    public boolean resetLatency() {
        RowWriter w = gateway.writer();
        if (w != null) {
            w.stats.tickToCommit.reset();
        }
        return w != null;
    }
}
