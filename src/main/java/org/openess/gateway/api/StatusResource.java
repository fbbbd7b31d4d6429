package org.openess.gateway.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.openess.gateway.profile.StoredColumns;
import org.openess.gateway.acquisition.Acquisition;
import org.openess.gateway.acquisition.BusStatus;
import org.openess.gateway.archive.RetentionState;
import org.openess.gateway.acquisition.DeviceDefinition;
import org.openess.gateway.acquisition.DeviceHealth;
import org.openess.gateway.acquisition.DeviceStats;
import org.openess.gateway.acquisition.DeviceStatus;
import org.openess.gateway.lifecycle.ServiceState;
import org.openess.gateway.storage.Storage;
import org.openess.gateway.storage.WriterStatus;
import org.openess.gateway.storage.spool.SpoolRowBuffer;
import org.openess.gateway.sunspec.RejectedModel;
import org.openess.gateway.sunspec.SunSpecModelFolder;
import org.openess.gateway.sunspec.SunSpecSession;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/status}: per-device polling counters and health ({@link DeviceHealth}) (and, for
 * SunSpec devices, the discovered layout: models, skipped models, tables, fingerprint, discovery
 * state), their totals, the writer's state and the SunSpec model files of
 * {@code ess.sunspec.models-dir} that were rejected ({@code sunspecRejectedModels}), the last
 * retention run ({@code retention}: days dropped, {@code blockedDays} kept with their reasons), as JSON ({@code ?devices=false} leaves out the
 * per-device list, for large gateways).
 * {@code POST /api/status/latency/reset} restarts the tick→commit histogram (benchmarks use it
 * to exclude their warm-up); it changes state, so it needs a user with the {@value #OPERATOR} role.
 */
@Path("/api/status")
public class StatusResource {
    /** The role a user needs for endpoints that change state (docs/security.md). */
    public static final String OPERATOR = "operator";

    @Inject
    ServiceState service;
    @Inject
    Acquisition acquisition;
    @Inject
    Storage storage;
    @Inject
    SunSpecModelFolder sunspecModels;
    @Inject
    RetentionState retention;

    @RegisterForReflection
    public record Status(String service, boolean running, Totals totals, List<DeviceEntry> devices, WriterEntry writer,
            SpoolRowBuffer.Status spool, List<RejectedModel> sunspecRejectedModels, RetentionState.Summary retention,
            List<BusEntry> buses) {
    }

    /**
     * One RTU bus (serial port, or RTU over TCP to a converter): its devices, whether the round of
     * all of them fits in the poll interval ({@code busTimePerCycleMs} against {@code pollIntervalMs}),
     * how busy it is, and the frames it discarded.
     */
    @RegisterForReflection
    public record BusEntry(String name, String transport, String serial, List<String> devices, boolean connected, String lastError,
            long pollIntervalMs, double busTimePerCycleMs, double utilisation, boolean overBudget, long requests, long timeouts,
            long crcErrors, long framesDiscarded) {

        static BusEntry of(BusStatus b) {
            return new BusEntry(b.name(), b.transport(), b.serial(), b.devices(), b.connected(), b.lastError(), b.pollIntervalMillis(),
                    Math.round(b.busTimePerCycleMillis() * 10) / 10.0, Math.round(b.utilisation() * 1000) / 1000.0, b.overBudget(),
                    b.requests(), b.timeouts(), b.crcErrors(), b.framesDiscarded());
        }
    }

    @RegisterForReflection
    public record DeviceEntry(String id, String address, String transport, int unitId, String profile, boolean connected, Health health, long ticks,
            long cyclesComplete, long cyclesPartial, long ticksMissed, long readsOk, long readsFailed, long readsSkipped,
            long busyRetries, long rows, long gapRows, long qualityEvents, String lastTick, long lastCycleMicros, String lastError,
            SunSpecSession.Status sunspec) {

        static DeviceEntry of(DeviceStatus status) {
            DeviceDefinition d = status.device();
            DeviceStats c = status.counters();
            return new DeviceEntry(d.id(), d.address(), d.transport().label(), d.unitId(), d.profile().name(), status.health().connected(),
                    Health.of(status.health()), c.ticks(), c.cyclesComplete(), c.cyclesPartial(), c.ticksMissed(), c.readsOk(),
                    c.readsFailed(), c.readsSkipped(), c.busyRetries(), c.rows(), c.gapRows(), c.qualityEvents(),
                    iso(c.lastTickMillis()), c.lastCycleMicros(), c.currentError(), status.sunspec());
        }
    }

    /** {@link DeviceHealth} as JSON: lower-case state and error kind, ISO-8601 times (null: never). */
    @RegisterForReflection
    public record Health(String state, String since, String lastSuccessfulRead, long consecutiveFailedCycles, String lastErrorKind,
            Integer lastExceptionCode, String lastError, String lastErrorAt) {

        static Health of(DeviceHealth h) {
            return new Health(h.state().label(), iso(h.sinceMillis()), iso(h.lastSuccessfulReadMillis()), h.consecutiveFailedCycles(),
                    h.lastErrorKindLabel(), h.lastExceptionCode() == 0 ? null : h.lastExceptionCode(), h.lastError(),
                    iso(h.lastErrorMillis()));
        }
    }

    /** Sums over all devices (max for lastCycleMicrosMax), and how many devices are in each state. */
    @RegisterForReflection
    public record Totals(long devices, long connected, long ok, long degraded, long offline, long connecting, long ticks,
            long cyclesComplete, long cyclesPartial, long ticksMissed, long readsOk, long readsFailed, long rows, long gapRows,
            long readsPerCycle, long registersPerCycle, long lastCycleMicrosSum, long lastCycleMicrosMax) {

        static Totals of(List<DeviceStatus> devices) {
            long[] t = new long[18];
            for (DeviceStatus r : devices) {
                DeviceStats c = r.counters();
                t[0]++;
                t[1] += r.health().connected() ? 1 : 0;
                t[2 + r.state().code()]++; // ok, degraded, offline, connecting: the order of the fields above
                t[6] += c.ticks();
                t[7] += c.cyclesComplete();
                t[8] += c.cyclesPartial();
                t[9] += c.ticksMissed();
                t[10] += c.readsOk();
                t[11] += c.readsFailed();
                t[12] += c.rows();
                t[13] += c.gapRows();
                t[14] += r.device().plan().reads().size();
                t[15] += r.device().plan().registerCount();
                t[16] += c.lastCycleMicros();
                t[17] = Math.max(t[17], c.lastCycleMicros());
            }
            return new Totals(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10], t[11], t[12], t[13], t[14], t[15],
                    t[16], t[17]);
        }
    }

    private static String iso(long epochMillis) {
        return epochMillis == 0 ? null : Instant.ofEpochMilli(epochMillis).toString();
    }

    /**
     * {@code buffer} is "spool" or "memory"; {@code buffered}: records not yet committed (spool:
     * cycle records on disk plus the hand-off queue and the memory fallback). Rows accepted and
     * dropped include the memory fallback's. Latency: live rows; {@code replayTickToCommit*}: rows
     * sent from a spool backlog. {@code tables}: rows written, duplicate, dropped and rejected per
     * table (the same numbers as the {@code ess_rows_*_total} metrics); the row totals above are its
     * sums over the device tables, {@code rowsRejected} over every table.
     */
    @RegisterForReflection
    public record WriterEntry(boolean schemaReady, boolean hypertables, String buffer, long buffered, long bufferCapacity,
            long rowsAccepted, long rowsWritten, long rowsDuplicate, long rowsDropped, long cyclesDropped, long rowsRejected,
            long qualityWritten, long gapsWritten, long statements, long failedStatements, long tickToCommitP50Ms,
            long tickToCommitP99Ms, long tickToCommitMaxMs, long tickToCommitSamples, long replayTickToCommitP99Ms,
            long replayRowsWritten, String lastError, Map<String, WriterStatus.TableCounts> tables) {

        static WriterEntry of(WriterStatus w) {
            WriterStatus.TableCounts rows = w.dataRows();
            return new WriterEntry(w.schemaReady(), w.hypertables(), w.durable() ? "spool" : "memory", w.buffered(),
                    w.bufferCapacity(), w.rowsAccepted(), rows.written(), rows.duplicate(), rows.dropped(), w.cyclesDropped(),
                    w.totals().rejected(), w.counts(StoredColumns.QUALITY_TABLE).written(), w.counts(StoredColumns.GAPS_TABLE).written(),
                    w.statements(), w.failedStatements(), w.live().p50Ms(), w.live().p99Ms(), w.live().maxMs(), w.live().samples(),
                    w.replayed().p99Ms(), w.replayed().samples(), w.lastError(), w.perTable());
        }
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Status status(@QueryParam("devices") @DefaultValue("true") boolean withDevices) {
        List<DeviceStatus> all = acquisition.devices();
        List<DeviceEntry> devices = withDevices ? all.stream().map(DeviceEntry::of).toList() : null;
        WriterStatus w = storage.status();
        return new Status("ess-gateway", service.running(), Totals.of(all), devices, w == null ? null : WriterEntry.of(w),
                w == null ? null : w.spool(), sunspecModels.rejected(), retention.summary(),
                acquisition.buses().stream().map(BusEntry::of).toList());
    }

    @POST
    @Path("latency/reset")
    @RolesAllowed(OPERATOR)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> resetLatency() {
        return Map.of("reset", storage.resetLatency());
    }
}
