package org.openess.gateway.api;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.openess.gateway.GatewayService;
import org.openess.gateway.acquisition.DeviceHealth;
import org.openess.gateway.acquisition.DevicePoller;
import org.openess.gateway.acquisition.DeviceStats;
import org.openess.gateway.storage.BufferCounters;
import org.openess.gateway.storage.RowWriter;
import org.openess.gateway.storage.spool.SpoolRowBuffer;
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
 * state), their totals and the writer's state, as JSON ({@code ?devices=false} leaves out the
 * per-device list, for large gateways).
 * {@code POST /api/status/latency/reset} restarts the tick→commit histogram (benchmarks use it
 * to exclude their warm-up); it changes state, so it needs a user with the {@value #OPERATOR} role.
 */
@Path("/api/status")
public class StatusResource {
    /** The role a user needs for endpoints that change state (README "Security"). */
    public static final String OPERATOR = "operator";

    @Inject
    GatewayService gateway;

    @RegisterForReflection
    public record Status(String service, boolean running, Totals totals, List<DeviceStatus> devices, WriterStatus writer,
            SpoolRowBuffer.Status spool) {
    }

    @RegisterForReflection
    public record DeviceStatus(String id, String address, int unitId, String profile, boolean connected, Health health, long ticks,
            long cyclesComplete, long cyclesPartial, long ticksMissed, long readsOk, long readsFailed, long readsSkipped,
            long busyRetries, long rows, long gapRows, long qualityEvents, String lastTick, long lastCycleMicros, String lastError,
            SunSpecSession.Status sunspec) {

        static DeviceStatus of(DevicePoller p) {
            DeviceStats s = p.stats();
            DeviceHealth h = s.health();
            return new DeviceStatus(p.device().id(), p.device().host() + ":" + p.device().port(), p.device().unitId(),
                    p.device().profile().name(), h.connected(), Health.of(h), s.ticks(), s.cyclesComplete(), s.cyclesPartial(),
                    s.ticksMissed(), s.readsOk(), s.readsFailed(), s.readsSkipped(), s.busyRetries(), s.rows(), s.gapRows(),
                    s.qualityEvents(), iso(s.lastTickMillis()), s.lastCycleMicros(), s.currentError(), p.sunspec());
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
    public record Totals(long devices, long connected, long ok, long degraded, long offline, long unknown, long ticks,
            long cyclesComplete, long cyclesPartial, long ticksMissed, long readsOk, long readsFailed, long rows, long gapRows,
            long readsPerCycle, long registersPerCycle, long lastCycleMicrosSum, long lastCycleMicrosMax) {

        static Totals of(Collection<DevicePoller> pollers) {
            long[] t = new long[18];
            for (DevicePoller p : pollers) {
                DeviceStats s = p.stats();
                DeviceHealth h = s.health();
                t[0]++;
                t[1] += h.connected() ? 1 : 0;
                t[2 + h.state().code()]++; // ok, degraded, offline, unknown: the order of the fields above
                t[6] += s.ticks();
                t[7] += s.cyclesComplete();
                t[8] += s.cyclesPartial();
                t[9] += s.ticksMissed();
                t[10] += s.readsOk();
                t[11] += s.readsFailed();
                t[12] += s.rows();
                t[13] += s.gapRows();
                t[14] += p.device().plan().reads().size();
                t[15] += p.device().plan().registerCount();
                t[16] += s.lastCycleMicros();
                t[17] = Math.max(t[17], s.lastCycleMicros());
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
     * sent from a spool backlog.
     */
    @RegisterForReflection
    public record WriterStatus(boolean schemaReady, boolean hypertables, String buffer, long buffered, long bufferCapacity,
            long rowsAccepted, long rowsWritten, long rowsDuplicate, long rowsDropped, long cyclesDropped, long rowsRejected,
            long qualityWritten, long gapsWritten, long statements, long failedStatements, long tickToCommitP50Ms,
            long tickToCommitP99Ms, long tickToCommitMaxMs, long tickToCommitSamples, long replayTickToCommitP99Ms,
            long replayRowsWritten, String lastError) {

        static WriterStatus of(RowWriter w, boolean hypertables) {
            RowWriter.WriterStats s = w.stats();
            BufferCounters c = w.buffer().counters();
            long accepted = c.rowsAccepted();
            long dropped = c.rowsDropped();
            long cycles = c.cyclesDropped();
            if (w.buffer() instanceof SpoolRowBuffer spool) {
                accepted += spool.fallbackCounters().rowsAccepted();
                dropped += spool.fallbackCounters().rowsDropped();
                cycles += spool.fallbackCounters().cyclesDropped();
            }
            return new WriterStatus(w.isSchemaReady(), hypertables, w.buffer().durable() ? "spool" : "memory", w.buffer().size(),
                    w.buffer().capacity(), accepted, s.rowsWritten(), s.rowsDuplicate(), dropped, cycles, s.rowsRejected(),
                    s.qualityWritten(), s.gapsWritten(), s.statements(), s.failedStatements(), s.tickToCommit().percentile(0.50),
                    s.tickToCommit().percentile(0.99), s.tickToCommit().max(), s.tickToCommit().count(),
                    s.replayTickToCommit().percentile(0.99), s.replayTickToCommit().count(), s.lastError());
        }
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Status status(@QueryParam("devices") @DefaultValue("true") boolean withDevices) {
        Collection<DevicePoller> pollers = gateway.pollers().values();
        List<DeviceStatus> devices = withDevices
                ? pollers.stream().map(DeviceStatus::of).sorted(Comparator.comparing(DeviceStatus::id)).toList()
                : null;
        RowWriter w = gateway.writer();
        return new Status("ess-gateway", gateway.isRunning(), Totals.of(pollers), devices,
                w == null ? null : WriterStatus.of(w, gateway.schema() != null && gateway.schema().hypertables()),
                w != null && w.buffer() instanceof SpoolRowBuffer spool ? spool.status() : null);
    }

    @POST
    @Path("latency/reset")
    @RolesAllowed(OPERATOR)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> resetLatency() {
        RowWriter w = gateway.writer();
        if (w != null) {
            w.stats().tickToCommit().reset();
            w.stats().replayTickToCommit().reset();
        }
        return Map.of("reset", w != null);
    }
}
