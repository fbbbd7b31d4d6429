package org.openess.gateway.api;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import org.openess.gateway.GatewayService;
import org.openess.gateway.acquisition.DevicePoller;
import org.openess.gateway.acquisition.DeviceStats;
import org.openess.gateway.storage.RowWriter;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /api/status}: per-device polling counters and the writer's state, as JSON. */
@Path("/api/status")
public class StatusResource {
    @Inject
    GatewayService gateway;

    @RegisterForReflection
    public record Status(String service, boolean running, List<DeviceStatus> devices, WriterStatus writer) {
    }

    @RegisterForReflection
    public record DeviceStatus(String id, String address, String profile, boolean connected, long ticks, long cyclesComplete,
            long cyclesPartial, long ticksMissed, long readsOk, long readsFailed, long rows, long gapRows, long qualityEvents,
            String lastTick, long lastCycleMicros, String lastError) {

        static DeviceStatus of(DevicePoller p) {
            DeviceStats s = p.stats();
            return new DeviceStatus(p.device().id(), p.device().host() + ":" + p.device().port(), p.device().profile().name(),
                    s.connected, s.ticks.get(), s.cyclesComplete.get(), s.cyclesPartial.get(), s.ticksMissed.get(), s.readsOk.get(),
                    s.readsFailed.get(), s.rows.get(), s.gapRows.get(), s.qualityEvents.get(),
                    s.lastTickMillis == 0 ? null : Instant.ofEpochMilli(s.lastTickMillis).toString(), s.lastCycleMicros, s.lastError);
        }
    }

    @RegisterForReflection
    public record WriterStatus(boolean schemaReady, boolean hypertables, long buffered, long bufferCapacity, long rowsAccepted,
            long rowsWritten, long rowsDuplicate, long rowsDropped, long rowsRejected, long qualityWritten, long gapsWritten,
            long statements, long failedStatements, long tickToCommitP50Ms, long tickToCommitP99Ms, long tickToCommitMaxMs,
            String lastError) {

        static WriterStatus of(RowWriter w, boolean hypertables) {
            RowWriter.WriterStats s = w.stats;
            return new WriterStatus(w.isSchemaReady(), hypertables, w.buffer().size(), w.buffer().capacity(), s.rowsAccepted.get(),
                    s.rowsWritten.get(), s.rowsDuplicate.get(), s.rowsDropped.get(), s.rowsRejected.get(), s.qualityWritten.get(),
                    s.gapsWritten.get(), s.statements.get(), s.failedStatements.get(), s.tickToCommit.percentile(0.50),
                    s.tickToCommit.percentile(0.99), s.tickToCommit.max(), s.lastError);
        }
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Status status() {
        List<DeviceStatus> devices = gateway.pollers().values().stream().map(DeviceStatus::of)
                .sorted(Comparator.comparing(DeviceStatus::id)).toList();
        RowWriter w = gateway.writer();
        return new Status("ess-gateway", gateway.isRunning(), devices,
                w == null ? null : WriterStatus.of(w, gateway.schema() != null && gateway.schema().hypertables()));
    }
}
