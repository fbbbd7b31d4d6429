package org.openess.gateway.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.openess.gateway.acquisition.Acquisition;
import org.openess.gateway.acquisition.DeviceHealth;
import org.openess.gateway.acquisition.DeviceStats;
import org.openess.gateway.acquisition.DeviceStatus;
import org.openess.gateway.alarm.AlarmEngine;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.decode.DecodedRow;
import org.openess.gateway.profile.OverviewSection;
import org.openess.gateway.profile.Profile;
import org.openess.gateway.profile.TableLayout;
import org.openess.gateway.status.LatestValues;
import org.openess.gateway.storage.StorageQueries;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.core.Future;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** The polled devices: their state, their latest decoded values, and the status page's chart data. */
@Path("/api/devices")
@Produces(MediaType.APPLICATION_JSON)
public class DevicesResource {
    static final int MAX_MINUTES = 366 * 24 * 60;
    @Inject
    Acquisition acquisition;
    @Inject
    LatestValues latest;
    @Inject
    AlarmEngine alarms;
    @Inject
    StorageQueries queries;

    @RegisterForReflection
    public record DeviceView(String id, String address, String transport, String bus, String profile, String state, boolean connected, long pollIntervalMs,
            Instant lastTick, Instant lastSuccess, Long consecutiveFailures, String lastErrorKind, String lastError,
            double lastCycleMs, long cyclesOk, long cyclesPartial, long cyclesMissed, long readsFailed, long valuesOutOfRange,
            int activeAlarms, long timesOffline) {
    }

    @RegisterForReflection
    public record TableValues(Map<String, String> units, List<Map<String, Object>> rows) {
    }

    @RegisterForReflection
    public record Latest(String id, Instant tick, Map<String, TableValues> tables) {
    }

    @RegisterForReflection
    public record Series(String key, String column, String unit, String aggregate, List<Double> values) {
    }

    @RegisterForReflection
    public record History(String id, String table, int stepSeconds, String resolution, Instant from, List<Long> t, List<Series> series) {
    }

    @GET
    @Operation(summary = "Every polled device with its state (ok, degraded, offline), last tick, last error and last cycle time")
    public List<DeviceView> devices() {
        return acquisition.devices().stream().map(this::view).toList();
    }

    DeviceView view(DeviceStatus r) {
        var d = r.device();
        DeviceHealth h = r.health();
        DeviceStats c = r.counters();
        return new DeviceView(d.id(), d.address(), d.transport().label(), d.transport().isRtu() ? d.address() : null, d.profile().name(), r.state().label(), h.connected(),
                d.pollInterval().toMillis(), c.lastTickMillis() == 0 ? null : Instant.ofEpochMilli(c.lastTickMillis()),
                h.lastSuccessfulReadMillis() == 0 ? null : Instant.ofEpochMilli(h.lastSuccessfulReadMillis()),
                h.consecutiveFailedCycles(), h.lastErrorKindLabel(), c.currentError(), c.lastCycleMicros() / 1000.0,
                c.cyclesComplete(), c.cyclesPartial(), c.ticksMissed(), c.readsFailed(), c.qualityEvents(), alarms.active(d.id()).size(),
                c.timesOffline());
    }

    @GET
    @Path("{id}/latest")
    @Operation(summary = "The latest decoded values of a device by table and column, with units where the profile has them")
    public Latest latest(@PathParam("id") String id) {
        DeviceStatus r = device(id);
        CycleOutput out = latest.of(id);
        Map<String, TableValues> tables = new LinkedHashMap<>();
        if (out == null) {
            return new Latest(id, null, tables);
        }
        Profile profile = r.device().profile();
        for (DecodedRow row : out.rows()) {
            TableLayout layout = row.layout();
            TableValues tv = tables.computeIfAbsent(layout.table(), t -> {
                Map<String, String> units = new LinkedHashMap<>();
                for (TableLayout.Column c : layout.columns()) {
                    String u = profile.unit(t, c.name());
                    if (u != null) {
                        units.put(c.name(), u);
                    }
                }
                return new TableValues(units, new ArrayList<>());
            });
            Map<String, Object> values = new LinkedHashMap<>();
            for (int i = 0; i < layout.width(); i++) {
                Object v = row.value(i);
                values.put(layout.columns().get(i).name(), v instanceof Double dv && !Double.isFinite(dv) ? null : v);
            }
            tv.rows().add(values);
        }
        return new Latest(id, Instant.ofEpochMilli(out.tickMillis()), tables);
    }

    @GET
    @Path("{id}/history")
    @Operation(summary = "Bank SOC, DC voltage, current, power and max/min cell temperature of the last minutes, "
            + "averaged per step (temperatures: max/min per step); the status page's charts. Up to an hour from the raw rows, "
            + "longer windows from the finest rollup with at most 5,000 points (resolution: raw, 1m, 15m); the step grows to fit")
    public CompletionStage<History> history(@PathParam("id") String id,
            @Parameter(description = "1..527040 (366 days)") @QueryParam("minutes") @DefaultValue("60") int minutes,
            @Parameter(description = "seconds per point, 1..86400 (at least the rollup's width)") @QueryParam("step") @DefaultValue("10")
            int step) {
        DeviceStatus r = device(id);
        if (minutes < 1 || minutes > MAX_MINUTES || step < 1 || step > 86400) {
            throw new BadRequest("minutes must be 1.." + MAX_MINUTES + " and step 1..86400");
        }
        OverviewSection o = r.device().profile().overview();
        Profile profile = r.device().profile();
        List<String> keys = new ArrayList<>();
        List<StorageQueries.Aggregate> cols = new ArrayList<>();
        add(keys, cols, "soc", o.soc(), "avg");
        add(keys, cols, "dcVoltage", o.dcVoltage(), "avg");
        add(keys, cols, "dcCurrent", o.dcCurrent(), "avg");
        add(keys, cols, "power", o.power(), "avg");
        add(keys, cols, "maxCellTemperature", o.maxCellTemperature(), "max");
        add(keys, cols, "minCellTemperature", o.minCellTemperature(), "min");
        Instant to = Instant.now();
        Instant from = to.minusSeconds(minutes * 60L);
        if (o.table() == null || cols.isEmpty()) {
            return Future.succeededFuture(new History(id, o.table(), step, "raw", from, List.of(), List.of())).toCompletionStage();
        }
        return queries.history(o.table(), id, from, to, step, cols).map(s -> {
            List<Series> series = new ArrayList<>();
            for (int i = 0; i < cols.size(); i++) {
                StorageQueries.Aggregate c = cols.get(i);
                series.add(new Series(keys.get(i), c.column(), profile.unit(o.table(), c.column()), c.function(), s.values().get(i)));
            }
            return new History(id, o.table(), s.stepSeconds(), s.resolution(), from, s.stepStarts(), series);
        }).toCompletionStage();
    }

    private static void add(List<String> keys, List<StorageQueries.Aggregate> cols, String key, String column, String aggregate) {
        if (column != null) {
            keys.add(key);
            cols.add(new StorageQueries.Aggregate(column, aggregate));
        }
    }

    private DeviceStatus device(String id) {
        DeviceStatus r = acquisition.device(id);
        if (r == null) {
            throw new NotFound("no device '" + id + "' (GET /api/devices lists them)");
        }
        return r;
    }
}
