package org.openess.gateway.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openess.gateway.GatewayService;
import org.openess.gateway.acquisition.DevicePoller;
import org.openess.gateway.acquisition.DeviceStats;
import org.openess.gateway.storage.RowWriter;

import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/status}: per-device polling counters, their totals and the writer's state, as
 * JSON ({@code ?devices=false} leaves out the per-device list, for large gateways).
 * {@code POST /api/status/latency/reset} restarts the tick→commit histogram (benchmarks use it
 * to exclude their warm-up).
 */
@Path("/api/status")
public class StatusResource {
    @Inject
    GatewayService gateway;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> status(@QueryParam("devices") @DefaultValue("true") boolean withDevices) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("running", gateway.isRunning());
        List<Map<String, Object>> devices = new ArrayList<>();
        long[] totals = new long[14];
        for (DevicePoller p : gateway.pollers().values()) {
            DeviceStats s = p.stats();
            totals[0]++;
            totals[1] += s.connected ? 1 : 0;
            totals[2] += s.ticks.get();
            totals[3] += s.cyclesComplete.get();
            totals[4] += s.cyclesPartial.get();
            totals[5] += s.ticksMissed.get();
            totals[6] += s.readsOk.get();
            totals[7] += s.readsFailed.get();
            totals[8] += s.rows.get();
            totals[9] += s.gapRows.get();
            totals[10] += p.device().plan().reads().size();
            totals[11] += p.device().plan().registerCount();
            totals[12] += s.lastCycleMicros;
            totals[13] = Math.max(totals[13], s.lastCycleMicros);
            if (!withDevices) {
                continue;
            }
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("id", p.device().id());
            d.put("address", p.device().host() + ":" + p.device().port());
            d.put("profile", p.device().profile().name());
            d.put("connected", s.connected);
            d.put("ticks", s.ticks.get());
            d.put("cyclesComplete", s.cyclesComplete.get());
            d.put("cyclesPartial", s.cyclesPartial.get());
            d.put("ticksMissed", s.ticksMissed.get());
            d.put("readsOk", s.readsOk.get());
            d.put("readsFailed", s.readsFailed.get());
            d.put("rows", s.rows.get());
            d.put("gapRows", s.gapRows.get());
            d.put("qualityEvents", s.qualityEvents.get());
            d.put("lastTick", s.lastTickMillis == 0 ? null : Instant.ofEpochMilli(s.lastTickMillis).toString());
            d.put("lastCycleMicros", s.lastCycleMicros);
            d.put("lastError", s.lastError);
            devices.add(d);
        }
        Map<String, Object> t = new LinkedHashMap<>();
        String[] names = { "devices", "connected", "ticks", "cyclesComplete", "cyclesPartial", "ticksMissed", "readsOk",
                "readsFailed", "rows", "gapRows", "readsPerCycle", "registersPerCycle", "lastCycleMicrosSum", "lastCycleMicrosMax" };
        for (int i = 0; i < names.length; i++) {
            t.put(names[i], totals[i]);
        }
        out.put("totals", t);
        if (withDevices) {
            devices.sort((a, b) -> ((String) a.get("id")).compareTo((String) b.get("id")));
            out.put("devices", devices);
        }
        RowWriter w = gateway.writer();
        if (w != null) {
            RowWriter.WriterStats s = w.stats;
            Map<String, Object> wr = new LinkedHashMap<>();
            wr.put("schemaReady", w.isSchemaReady());
            wr.put("hypertables", gateway.schema() != null && gateway.schema().hypertables());
            wr.put("buffered", w.buffer().size());
            wr.put("bufferCapacity", w.buffer().capacity());
            wr.put("rowsAccepted", s.rowsAccepted.get());
            wr.put("rowsWritten", s.rowsWritten.get());
            wr.put("rowsDropped", s.rowsDropped.get());
            wr.put("rowsRejected", s.rowsRejected.get());
            wr.put("qualityWritten", s.qualityWritten.get());
            wr.put("gapsWritten", s.gapsWritten.get());
            wr.put("statements", s.statements.get());
            wr.put("failedStatements", s.failedStatements.get());
            wr.put("tickToCommitP50Ms", s.tickToCommit.percentile(0.50));
            wr.put("tickToCommitP99Ms", s.tickToCommit.percentile(0.99));
            wr.put("tickToCommitMaxMs", s.tickToCommit.max());
            wr.put("tickToCommitSamples", s.tickToCommit.count());
            wr.put("lastError", s.lastError);
            out.put("writer", wr);
        }
        return out;
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
