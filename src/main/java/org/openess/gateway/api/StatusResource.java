package org.openess.gateway.api;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.openess.gateway.GatewayService;
import org.openess.gateway.acquisition.DevicePoller;
import org.openess.gateway.acquisition.DeviceStats;
import org.openess.gateway.storage.RowWriter;
import org.openess.gateway.sunspec.SunSpecSession;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/status}: per-device polling counters (and, for SunSpec devices, the discovered
 * layout: models, skipped models, tables, fingerprint, discovery state), their totals and the writer's state, as
 * JSON ({@code ?devices=false} leaves out the per-device list, for large gateways).
 * {@code POST /api/status/latency/reset} restarts the tick→commit histogram (benchmarks use it
 * to exclude their warm-up).
 */
@Path("/api/status")
public class StatusResource {
    @Inject
    GatewayService gateway;

    @RegisterForReflection
    public record Status(String service, boolean running, Totals totals, List<DeviceStatus> devices, WriterStatus writer) {
    }

    @RegisterForReflection
    public record DeviceStatus(String id, String address, String profile, boolean connected, long ticks, long cyclesComplete,
            long cyclesPartial, long ticksMissed, long readsOk, long readsFailed, long rows, long gapRows, long qualityEvents,
            String lastTick, long lastCycleMicros, String lastError, SunSpecSession.Status sunspec) {

        static DeviceStatus of(DevicePoller p) {
            DeviceStats s = p.stats();
            return new DeviceStatus(p.device().id(), p.device().host() + ":" + p.device().port(), p.device().profile().name(),
                    s.connected, s.ticks.get(), s.cyclesComplete.get(), s.cyclesPartial.get(), s.ticksMissed.get(), s.readsOk.get(),
                    s.readsFailed.get(), s.rows.get(), s.gapRows.get(), s.qualityEvents.get(),
                    s.lastTickMillis == 0 ? null : Instant.ofEpochMilli(s.lastTickMillis).toString(), s.lastCycleMicros, s.lastError,
                    p.sunspec());
        }
    }

    /** Sums over all devices (max for lastCycleMicrosMax). */
    @RegisterForReflection
    public record Totals(long devices, long connected, long ticks, long cyclesComplete, long cyclesPartial, long ticksMissed,
            long readsOk, long readsFailed, long rows, long gapRows, long readsPerCycle, long registersPerCycle,
            long lastCycleMicrosSum, long lastCycleMicrosMax) {

        static Totals of(Collection<DevicePoller> pollers) {
            long[] t = new long[14];
            for (DevicePoller p : pollers) {
                DeviceStats s = p.stats();
                t[0]++;
                t[1] += s.connected ? 1 : 0;
                t[2] += s.ticks.get();
                t[3] += s.cyclesComplete.get();
                t[4] += s.cyclesPartial.get();
                t[5] += s.ticksMissed.get();
                t[6] += s.readsOk.get();
                t[7] += s.readsFailed.get();
                t[8] += s.rows.get();
                t[9] += s.gapRows.get();
                t[10] += p.device().plan().reads().size();
                t[11] += p.device().plan().registerCount();
                t[12] += s.lastCycleMicros;
                t[13] = Math.max(t[13], s.lastCycleMicros);
            }
            return new Totals(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10], t[11], t[12], t[13]);
        }
    }

    @RegisterForReflection
    public record WriterStatus(boolean schemaReady, boolean hypertables, long buffered, long bufferCapacity, long rowsAccepted,
            long rowsWritten, long rowsDuplicate, long rowsDropped, long rowsRejected, long qualityWritten, long gapsWritten,
            long statements, long failedStatements, long tickToCommitP50Ms, long tickToCommitP99Ms, long tickToCommitMaxMs,
            long tickToCommitSamples, String lastError) {

        static WriterStatus of(RowWriter w, boolean hypertables) {
            RowWriter.WriterStats s = w.stats;
            return new WriterStatus(w.isSchemaReady(), hypertables, w.buffer().size(), w.buffer().capacity(), s.rowsAccepted.get(),
                    s.rowsWritten.get(), s.rowsDuplicate.get(), s.rowsDropped.get(), s.rowsRejected.get(), s.qualityWritten.get(),
                    s.gapsWritten.get(), s.statements.get(), s.failedStatements.get(), s.tickToCommit.percentile(0.50),
                    s.tickToCommit.percentile(0.99), s.tickToCommit.max(), s.tickToCommit.count(), s.lastError);
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
                w == null ? null : WriterStatus.of(w, gateway.schema() != null && gateway.schema().hypertables()));
    }

    @POST
    @Path("latency/reset")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> resetLatency() {
        RowWriter w = gateway.writer();
        if (w != null) {
            w.stats.tickToCommit.reset();
        }
        return Map.of("reset", w != null);
    }
}
