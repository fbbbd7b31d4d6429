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
import org.openess.gateway.alarm.AlarmEngine;
import org.openess.gateway.decode.Alarm;
import org.openess.gateway.storage.InsertStatements;
import org.openess.gateway.storage.StorageQueries;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/alarms}: the active protection-map alarms (from memory, live even while the
 * database is down) and the alarm events overlapping a time window (from {@code ess_alarms}).
 */
@Path("/api/alarms")
@Produces(MediaType.APPLICATION_JSON)
public class AlarmsResource {
    static final int MAX_LIMIT = 1000;

    @Inject
    AlarmEngine engine;
    @Inject
    StorageQueries queries;

    @RegisterForReflection
    public record AlarmView(String id, String device, Integer bank, Integer rack, String code, String level, String message,
            Map<String, Object> triggerValues, Double peak, Instant start, Instant end, boolean active) {

        static AlarmView of(Alarm a) {
            return new AlarmView(a.id().toString(), a.device(), a.bank(), a.rack(), a.code(), a.level(), a.message(),
                    InsertStatements.triggerValues(a).getMap(),
                    Double.isFinite(a.peak()) ? a.peak() : null, a.start(), a.end(), a.active());
        }
    }

    @RegisterForReflection
    public record Alarms(List<AlarmView> active, List<AlarmView> recent, Instant from, Instant to, boolean historyAvailable) {
    }

    @GET
    @Operation(summary = "Active alarms and the alarm events overlapping [from, to) (default: the last 24 h), newest first")
    public CompletionStage<Alarms> alarms(@Parameter(description = "only this device (its id)") @QueryParam("device") String device,
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
        String d = device == null || device.isBlank() ? null : device;
        List<AlarmView> active = engine.active(d).stream().map(AlarmView::of).toList();
        return queries.alarms(from, to, d, limit)
                .map(h -> new Alarms(active, h.alarms().stream().map(AlarmView::of).toList(), from, to, h.available()))
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
