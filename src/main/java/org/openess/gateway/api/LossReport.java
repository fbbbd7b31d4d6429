package org.openess.gateway.api;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.openess.gateway.acquisition.DeviceDefinition;
import org.openess.gateway.archive.DayWindow;
import org.openess.gateway.storage.SchemaManager;
import org.openess.gateway.storage.Sql;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * Computes the data-loss report of one day in the archive zone: per site and table, rows the poll
 * period promised, rows stored, gaps recorded in ess_gaps grouped by reason, and the loss. "Since
 * first record" counts from the site's first row or gap of the day, for a gateway or device added
 * during the day. Today's window ends now.
 */
final class LossReport {
    /** The reasons listed per site and table; the rest are summed into "other reasons". */
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
    public record SiteLoss(String site, long expectedRows, long storedRows, double lossPercent, long expectedSinceFirstRecord,
            double lossPercentSinceFirstRecord, List<TableLoss> tables) {
    }

    @RegisterForReflection
    public record Report(LocalDate date, String zone, Instant from, Instant to, boolean dayComplete, List<SiteLoss> sites) {
    }

    private record Key(String site, String table) {
    }

    private record Stored(long rows, Instant first) {
    }

    static Future<Report> compute(Pool pool, List<DeviceDefinition> devices, DayWindow day, Instant now) {
        Instant from = day.start().toInstant();
        Instant to = day.end().toInstant().isAfter(now) ? now : day.end().toInstant();
        String[] sites = devices.stream().map(DeviceDefinition::id).toArray(String[]::new);
        TreeSet<String> tables = new TreeSet<>();
        devices.forEach(d -> tables.addAll(d.profile().rowsPerCycleByTable().keySet()));
        Tuple window = Tuple.of(OffsetDateTime.ofInstant(from, ZoneOffset.UTC), OffsetDateTime.ofInstant(to, ZoneOffset.UTC), sites);
        Map<Key, Stored> stored = new HashMap<>();
        List<Future<?>> queries = new ArrayList<>();
        for (String table : tables) {
            queries.add(pool.preparedQuery("SELECT \"SITE_ID\", count(*), min(\"TIMESTAMP\") FROM " + Sql.quote(table)
                    + " WHERE \"TIMESTAMP\" >= $1 AND \"TIMESTAMP\" < $2 AND \"SITE_ID\" = ANY($3) GROUP BY 1").execute(window)
                    .map(rs -> {
                        synchronized (stored) {
                            for (Row r : rs) {
                                stored.put(new Key(r.getString(0), table),
                                        new Stored(r.getLong(1), r.getOffsetDateTime(2).toInstant()));
                            }
                        }
                        return null;
                    }).recover(LossReport::missingTableIsEmpty));
        }
        Map<Key, List<Gap>> gaps = new HashMap<>();
        queries.add(pool.preparedQuery("SELECT site_id, table_name, reason, sum(missing_rows)::int8, count(*), min(ts), max(ts) FROM "
                + SchemaManager.GAPS_TABLE + " WHERE ts >= $1 AND ts < $2 AND site_id = ANY($3) GROUP BY 1, 2, 3 ORDER BY 4 DESC")
                .execute(window).map(rs -> {
                    synchronized (gaps) {
                        for (Row r : rs) {
                            gaps.computeIfAbsent(new Key(r.getString(0), r.getString(1)), k -> new ArrayList<>())
                                    .add(new Gap(r.getString(2), r.getLong(3), r.getLong(4), r.getOffsetDateTime(5).toInstant(),
                                            r.getOffsetDateTime(6).toInstant()));
                        }
                    }
                    return null;
                }).recover(LossReport::missingTableIsEmpty));
        return Future.all(queries).map(v -> build(devices, day, from, to, stored, gaps));
    }

    private static Future<Object> missingTableIsEmpty(Throwable e) {
        // a table the schema manager has not created yet holds no rows
        return e instanceof PgException pg && "42P01".equals(pg.getSqlState()) ? Future.succeededFuture() : Future.failedFuture(e);
    }

    private static Report build(List<DeviceDefinition> devices, DayWindow day, Instant from, Instant to, Map<Key, Stored> stored,
            Map<Key, List<Gap>> gaps) {
        List<SiteLoss> sites = new ArrayList<>();
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
            long siteExpected = 0, siteStored = 0, siteExpectedSince = 0, siteStoredSince = 0;
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
                siteExpected += expected;
                siteStored += s.rows();
                siteExpectedSince += expectedSince;
                siteStoredSince += Math.min(s.rows(), expectedSince);
            }
            sites.add(new SiteLoss(d.id(), siteExpected, siteStored, percent(Math.max(0, siteExpected - siteStored), siteExpected),
                    siteExpectedSince, percent(Math.max(0, siteExpectedSince - siteStoredSince), siteExpectedSince), tables));
        }
        return new Report(day.day(), day.zone().getId(), from, to, !to.isBefore(day.end().toInstant()), sites);
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
