package org.openess.gateway.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.openess.gateway.ops.DeviceReading;
import org.openess.gateway.ops.GatewayReadings;
import org.openess.gateway.ops.WriterReading;
import org.openess.gateway.sunspec.SunSpecSession;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.annotation.security.RolesAllowed;
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
 * JSON ({@code ?devices=false} leaves out the per-device list, for large gateways): a view over
 * the same numbers as the metrics ({@link GatewayReadings}). {@code POST /api/status/latency/reset}
 * restarts the tick→commit histogram (benchmarks exclude their warm-up with it); it changes state,
 * so it needs a user with the {@value #OPERATOR} role (HTTP Basic, README "Security").
 */
@Path("/api/status")
public class StatusResource {
    public static final String OPERATOR = "operator";

    @Inject
    GatewayReadings readings;

    @RegisterForReflection
    public record Status(String service, boolean running, Totals totals, List<DeviceStatus> devices, WriterStatus writer) {
    }

    @RegisterForReflection
    public record DeviceStatus(String id, String address, String profile, String state, boolean connected, long ticks,
            long cyclesComplete, long cyclesPartial, long ticksMissed, long readsOk, long readsFailed, long rows, long gapRows,
            long qualityEvents, String lastTick, long lastCycleMicros, String lastError, SunSpecSession.Status sunspec) {

        static DeviceStatus of(DeviceReading r, SunSpecSession.Status sunspec) {
            var d = r.device();
            return new DeviceStatus(d.id(), d.host() + ":" + d.port(), d.profile().name(), r.state().label(), r.connected(), r.ticks(),
                    r.cyclesComplete(), r.cyclesPartial(), r.ticksMissed(), r.readsOk(), r.readsFailed(), r.rows(), r.gapRows(),
                    r.valuesOutOfRange(), r.lastTickMillis() == 0 ? null : Instant.ofEpochMilli(r.lastTickMillis()).toString(),
                    r.lastCycleMicros(), r.lastError(), sunspec);
        }
    }

    /** Sums over all devices (max for lastCycleMicrosMax). */
    @RegisterForReflection
    public record Totals(long devices, long connected, long ticks, long cyclesComplete, long cyclesPartial, long ticksMissed,
            long readsOk, long readsFailed, long rows, long gapRows, long readsPerCycle, long registersPerCycle,
            long lastCycleMicrosSum, long lastCycleMicrosMax) {

        static Totals of(List<DeviceReading> devices) {
            long[] t = new long[14];
            for (DeviceReading r : devices) {
                t[0]++;
                t[1] += r.connected() ? 1 : 0;
                t[2] += r.ticks();
                t[3] += r.cyclesComplete();
                t[4] += r.cyclesPartial();
                t[5] += r.ticksMissed();
                t[6] += r.readsOk();
                t[7] += r.readsFailed();
                t[8] += r.rows();
                t[9] += r.gapRows();
                t[10] += r.device().plan().reads().size();
                t[11] += r.device().plan().registerCount();
                t[12] += r.lastCycleMicros();
                t[13] = Math.max(t[13], r.lastCycleMicros());
            }
            return new Totals(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10], t[11], t[12], t[13]);
        }
    }

    @RegisterForReflection
    public record WriterStatus(boolean schemaReady, boolean hypertables, long buffered, long bufferCapacity, long rowsAccepted,
            long rowsWritten, long rowsDuplicate, long rowsDropped, long rowsRejected, long qualityWritten, long gapsWritten,
            long statements, long failedStatements, long tickToCommitP50Ms, long tickToCommitP99Ms, long tickToCommitMaxMs,
            long tickToCommitSamples, String lastError) {

        static WriterStatus of(WriterReading w) {
            WriterReading.TableCounts c = w.totals();
            return new WriterStatus(w.schemaReady(), w.hypertables(), w.bufferRecords(), w.bufferCapacity(), w.rowsAccepted(),
                    c.written(), c.duplicate(), c.dropped(), c.rejected(), w.qualityWritten(), w.gapsWritten(), w.statements(),
                    w.failedStatements(), w.tickToCommitP50Ms(), w.tickToCommitP99Ms(), w.tickToCommitMaxMs(),
                    w.tickToCommitSamples(), w.lastError());
        }
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Counters of every device, their totals and the writer's state (?devices=false: totals only)")
    public Status status(@QueryParam("devices") @DefaultValue("true") boolean withDevices) {
        List<DeviceReading> devices = readings.devices();
        WriterReading w = readings.writer();
        return new Status("ess-gateway", readings.running(), Totals.of(devices),
                withDevices ? devices.stream().map(r -> DeviceStatus.of(r, readings.sunspec(r.id()))).toList() : null,
                w == null ? null : WriterStatus.of(w));
    }

    @POST
    @Path("latency/reset")
    @RolesAllowed(OPERATOR)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Restart the tick-to-commit histogram (needs the operator role)")
    public Map<String, Object> resetLatency() {
        return Map.of("reset", readings.resetLatency());
    }
}
