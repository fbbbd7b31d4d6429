package org.openess.gateway.api;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.openess.gateway.alarm.Alarm;
import org.openess.gateway.alarm.AlarmEngine;
import org.openess.gateway.alarm.AlarmStore;
import org.openess.gateway.ops.GatewayReadings;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/alarms}: the active protection-map alarms (from memory, live even while the
 * database is down) and the alarm events overlapping a time window (from {@value AlarmStore#TABLE}).
 */
@Path("/api/alarms")
@Produces(MediaType.APPLICATION_JSON)
public class AlarmsResource {
    static final int MAX_LIMIT = 1000;

    @Inject
    AlarmEngine engine;
    @Inject
    AlarmStore store;
    @Inject
    GatewayReadings readings;

    @RegisterForReflection
    public record AlarmView(String id, String site, Integer bank, Integer rack, String code, String level, String message,
            Map<String, Object> triggerValues, Double peak, Instant start, Instant end, boolean active) {

        static AlarmView of(Alarm a) {
            JsonObject t = new JsonObject().put(a.column(), a.value());
            if (a.limit() != null) {
                t.put("limit", a.limit());
            }
            if (a.unit() != null) {
                t.put("unit", a.unit());
            }
            return new AlarmView(a.id().toString(), a.site(), a.bank(), a.rack(), a.code(), a.level(), a.message(), t.getMap(),
                    Double.isFinite(a.peak()) ? a.peak() : null, a.start(), a.end(), a.active());
        }
    }

    @RegisterForReflection
    public record Alarms(List<AlarmView> active, List<AlarmView> recent, Instant from, Instant to, boolean historyAvailable,
            long eventsQueued) {
    }

    @GET
    @Operation(summary = "Active alarms and the alarm events overlapping [from, to) (default: the last 24 h), newest first")
    public CompletionStage<Alarms> alarms(@Parameter(description = "only this site (device id)") @QueryParam("site") String site,
            @Parameter(description = "ISO-8601 instant or YYYY-MM-DD (UTC midnight); default 24 h before 'to'") @QueryParam("from") String fromText,
            @Parameter(description = "ISO-8601 instant or YYYY-MM-DD; default now") @QueryParam("to") String toText,
            @Parameter(description = "at most this many events, 1..1000") @QueryParam("limit") @DefaultValue("200") int limit) {
        Instant to = toText == null || toText.isBlank() ? Instant.now() : instant("to", toText);
        Instant from = fromText == null || fromText.isBlank() ? to.minusSeconds(86_400) : instant("from", fromText);
        if (!from.isBefore(to)) {
            throw new BadRequest("from (" + from + ") must be before to (" + to + ")");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadRequest("limit must be 1.." + MAX_LIMIT + ", got " + limit);
        }
        String s = site == null || site.isBlank() ? null : site;
        List<AlarmView> active = engine.active(s).stream().map(AlarmView::of).toList();
        Future<List<AlarmView>> recent = readings.pool().preparedQuery("SELECT id, site_id, bank, rack, code, level, message, "
                + "trigger_values, peak_value, started_at, ended_at FROM " + AlarmStore.TABLE
                + " WHERE started_at < $1 AND (ended_at IS NULL OR ended_at >= $2) AND ($3::text IS NULL OR site_id = $3)"
                + " ORDER BY started_at DESC LIMIT $4")
                .execute(Tuple.of(OffsetDateTime.ofInstant(to, ZoneOffset.UTC), OffsetDateTime.ofInstant(from, ZoneOffset.UTC), s, limit))
                .map(rs -> {
                    List<AlarmView> out = new ArrayList<>();
                    for (Row r : rs) {
                        OffsetDateTime end = r.getOffsetDateTime(10);
                        Object tv = r.getValue(7);
                        Map<String, Object> trigger = tv instanceof JsonObject j ? j.getMap() : Map.of();
                        out.add(new AlarmView(r.getUUID(0).toString(), r.getString(1), r.getInteger(2), r.getInteger(3), r.getString(4),
                                r.getString(5), r.getString(6), trigger, r.getDouble(8), r.getOffsetDateTime(9).toInstant(),
                                end == null ? null : end.toInstant(), end == null));
                    }
                    return out;
                });
        return recent.map(list -> new Alarms(active, list, from, to, true, store.queued()))
                .recover(e -> e instanceof PgException pg && "42P01".equals(pg.getSqlState())
                        ? Future.succeededFuture(new Alarms(active, List.of(), from, to, false, store.queued()))
                        : Future.failedFuture(e))
                .toCompletionStage();
    }

    private static Instant instant(String name, String text) {
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadRequest(name + " must be an ISO-8601 instant (2026-01-31T12:00:00Z) or a date (2026-01-31), got '" + text + "'");
        }
    }
}
