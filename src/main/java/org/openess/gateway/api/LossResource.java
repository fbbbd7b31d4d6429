package org.openess.gateway.api;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.openess.gateway.archive.DayWindow;
import org.openess.gateway.acquisition.Acquisition;
import org.openess.gateway.acquisition.DeviceStatus;
import org.openess.gateway.config.EssConfig;
import org.openess.gateway.lifecycle.ServiceState;
import org.openess.gateway.storage.StorageQueries;

import io.vertx.core.Future;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/loss?date=YYYY-MM-DD}: the day's data loss per device and table in the archive
 * zone (ess.archive.zone). Counting a day of a large gateway scans every row of it, so one answer
 * per date is reused for {@value #CACHE_SECONDS} s (the status page asks every few seconds).
 */
@Path("/api/loss")
@Produces(MediaType.APPLICATION_JSON)
public class LossResource {
    static final int CACHE_SECONDS = 30;

    @Inject
    ServiceState service;
    @Inject
    Acquisition acquisition;
    @Inject
    StorageQueries queries;
    @Inject
    EssConfig config;

    private record Cached(long atMillis, Future<LossReport.Report> report) {
    }

    private final Map<LocalDate, Cached> cache = new ConcurrentHashMap<>();

    @GET
    @Operation(summary = "Expected rows from the poll period, stored rows, recorded gaps with reasons and loss % per device and table, "
            + "for one day in the archive zone (default: today)")
    public CompletionStage<LossReport.Report> loss(
            @Parameter(description = "YYYY-MM-DD in the archive zone; default today") @QueryParam("date") String date) {
        if (!service.running()) {
            throw new BadRequest("the gateway is not running");
        }
        ZoneId zone = ZoneId.of(config.archive().zone());
        LocalDate today = LocalDate.now(zone);
        LocalDate day;
        try {
            day = date == null || date.isBlank() ? today : LocalDate.parse(date);
        } catch (DateTimeParseException e) {
            throw new BadRequest("date must be YYYY-MM-DD, got '" + date + "'");
        }
        if (day.isAfter(today)) {
            throw new BadRequest("date " + day + " is in the future (today is " + today + " in " + zone + ")");
        }
        long now = System.currentTimeMillis();
        cache.values().removeIf(c -> now - c.atMillis() > CACHE_SECONDS * 1000L);
        // the pollers' definitions, not the catalog's: a SunSpec device's tables are known after discovery
        var devices = acquisition.devices().stream().map(DeviceStatus::device).toList();
        Cached c = cache.computeIfAbsent(day, d -> new Cached(now, LossReport.compute(queries, devices, DayWindow.of(d, zone),
                Instant.ofEpochMilli(now))));
        Future<LossReport.Report> f = c.report();
        f.onFailure(e -> cache.remove(day, c));
        return f.toCompletionStage();
    }
}
