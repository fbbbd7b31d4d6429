package org.openess.gateway.api;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.openess.gateway.acquisition.DeviceDefinition;
import org.openess.gateway.archive.DayWindow;
import org.openess.gateway.storage.StorageQueries;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.core.Future;

/**
 * Computes the data-loss report of one day in the archive zone: per device and table, rows the poll
 * period promised, rows stored, gaps recorded in ess_gaps grouped by reason, and the loss. "Since
 * first record" counts from the device's first row or gap of the day, for a gateway or device added
 * during the day. Today's window ends now.
 */
final class LossReport {
    /** The reasons listed per device and table; the rest are summed into "other reasons". */
    static final int REASONS_LISTED = 10;

    @RegisterForReflection
    public record Gap(String reason, long rows, long events, Instant first, Instant last) {
    }

    @RegisterForReflection
    public record TableLoss(String table, long expectedRows, long storedRows, long missingRows, double lossPercent,
            long recordedGapRows, long unexplainedRows, Instant firstRecord, long expectedSinceFirstRecord,
            double lossPercentSinceFirstRecord, List<Gap> gaps) {
    }

    @RegisterForReflection
    public record DeviceLoss(String device, long expectedRows, long storedRows, double lossPercent, long expectedSinceFirstRecord,
            double lossPercentSinceFirstRecord, List<TableLoss> tables) {
    }

    @RegisterForReflection
    public record Report(LocalDate date, String zone, Instant from, Instant to, boolean dayComplete, List<DeviceLoss> devices) {
    }

    private record Key(String device, String table) {
    }

    private record Stored(long rows, Instant first) {
    }

    static Future<Report> compute(StorageQueries queries, List<DeviceDefinition> devices, DayWindow day, Instant now) {
        Instant from = day.start().toInstant();
        Instant to = day.end().toInstant().isAfter(now) ? now : day.end().toInstant();
        List<String> ids = devices.stream().map(DeviceDefinition::id).toList();
        TreeSet<String> tables = new TreeSet<>();
        devices.forEach(d -> tables.addAll(d.profile().rowsPerCycleByTable().keySet()));
        Future<List<StorageQueries.StoredRows>> stored = queries.storedRows(tables, ids, from, to);
        Future<List<StorageQueries.RecordedGaps>> recorded = queries.recordedGaps(ids, from, to);
        return Future.all(stored, recorded).map(v -> {
            Map<Key, Stored> byKey = new HashMap<>();
            for (StorageQueries.StoredRows r : stored.result()) {
                byKey.put(new Key(r.device(), r.table()), new Stored(r.rows(), r.first()));
            }
            Map<Key, List<Gap>> gaps = new HashMap<>();
            for (StorageQueries.RecordedGaps g : recorded.result()) {
                gaps.computeIfAbsent(new Key(g.device(), g.table()), k -> new ArrayList<>())
                        .add(new Gap(g.reason(), g.rows(), g.events(), g.first(), g.last()));
            }
            return build(devices, day, from, to, byKey, gaps);
        });
    }

    private static Report build(List<DeviceDefinition> devices, DayWindow day, Instant from, Instant to, Map<Key, Stored> stored,
            Map<Key, List<Gap>> gaps) {
        List<DeviceLoss> out = new ArrayList<>();
        for (DeviceDefinition d : devices) {
            long period = d.pollInterval().toMillis();
            Instant first = null;
            // one entry per table name: a SunSpec device has a table spec per model occurrence
            Map<String, Integer> rowsPerTick = d.profile().rowsPerCycleByTable();
            for (String t : rowsPerTick.keySet()) {
                Stored s = stored.get(new Key(d.id(), t));
                if (s != null && (first == null || s.first().isBefore(first))) {
                    first = s.first();
                }
                for (Gap g : gaps.getOrDefault(new Key(d.id(), t), List.of())) {
                    if (first == null || g.first().isBefore(first)) {
                        first = g.first();
                    }
                }
            }
            List<TableLoss> tables = new ArrayList<>();
            long deviceExpected = 0, deviceStored = 0, deviceExpectedSince = 0, deviceStoredSince = 0;
            for (Map.Entry<String, Integer> t : rowsPerTick.entrySet()) {
                long ticks = ticks(from, to, period);
                long ticksSince = first == null ? 0 : ticks(first, to, period);
                long expected = ticks * t.getValue();
                long expectedSince = ticksSince * t.getValue();
                Stored s = stored.getOrDefault(new Key(d.id(), t.getKey()), new Stored(0, null));
                List<Gap> g = summarize(gaps.getOrDefault(new Key(d.id(), t.getKey()), List.of()));
                long recorded = g.stream().mapToLong(Gap::rows).sum();
                long missing = Math.max(0, expected - s.rows());
                tables.add(new TableLoss(t.getKey(), expected, s.rows(), missing, percent(missing, expected), recorded,
                        Math.max(0, missing - recorded), s.first(), expectedSince,
                        percent(Math.max(0, expectedSince - s.rows()), expectedSince), g));
                deviceExpected += expected;
                deviceStored += s.rows();
                deviceExpectedSince += expectedSince;
                deviceStoredSince += Math.min(s.rows(), expectedSince);
            }
            out.add(new DeviceLoss(d.id(), deviceExpected, deviceStored, percent(Math.max(0, deviceExpected - deviceStored), deviceExpected),
                    deviceExpectedSince, percent(Math.max(0, deviceExpectedSince - deviceStoredSince), deviceExpectedSince), tables));
        }
        return new Report(day.day(), day.zone().getId(), from, to, !to.isBefore(day.end().toInstant()), out);
    }

    /** Ticks (wall-clock multiples of the period) in [from, to). */
    static long ticks(Instant from, Instant to, long periodMillis) {
        long a = Math.floorDiv(from.toEpochMilli() + periodMillis - 1, periodMillis);
        long b = Math.floorDiv(to.toEpochMilli() - 1, periodMillis);
        return Math.max(0, b - a + 1);
    }

    private static List<Gap> summarize(List<Gap> gaps) {
        if (gaps.size() <= REASONS_LISTED) {
            return gaps;
        }
        List<Gap> out = new ArrayList<>(gaps.subList(0, REASONS_LISTED - 1));
        long rows = 0, events = 0;
        Instant first = null, last = null;
        for (Gap g : gaps.subList(REASONS_LISTED - 1, gaps.size())) {
            rows += g.rows();
            events += g.events();
            first = first == null || g.first().isBefore(first) ? g.first() : first;
            last = last == null || g.last().isAfter(last) ? g.last() : last;
        }
        out.add(new Gap("other reasons (" + (gaps.size() - REASONS_LISTED + 1) + ")", rows, events, first, last));
        return out;
    }

    private static double percent(long part, long whole) {
        return whole == 0 ? 0 : Math.round(part * 100_000.0 / whole) / 1000.0;
    }

}
