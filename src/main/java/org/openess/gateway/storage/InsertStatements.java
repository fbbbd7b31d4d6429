package org.openess.gateway.storage;

import static org.openess.gateway.profile.StoredColumns.EVENT_SITE_ID;
import static org.openess.gateway.profile.StoredColumns.EVENT_TIME;
import static org.openess.gateway.profile.StoredColumns.SITE_ID;
import static org.openess.gateway.profile.StoredColumns.TIMESTAMP;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.openess.gateway.profile.StoredColumns;
import org.openess.gateway.decode.Alarm;
import org.openess.gateway.decode.DecodedRow;
import org.openess.gateway.decode.GapEvent;
import org.openess.gateway.decode.QualityEvent;
import org.openess.gateway.profile.TableLayout;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;

/**
 * Batched, idempotent INSERTs. A batch of N rows is one statement whose parameters are one array
 * per column, unnested server-side: one round trip and one plan for thousands of rows.
 * {@code ON CONFLICT DO NOTHING} against the table's unique key makes any replay harmless.
 */
public final class InsertStatements {
    private InsertStatements() {
    }

    public static String rowsSql(TableLayout layout) {
        List<String> names = new ArrayList<>(List.of(Sql.quote(TIMESTAMP), Sql.quote(SITE_ID)));
        List<String> unnest = new ArrayList<>(List.of("unnest($1::timestamptz[])", "unnest($2::text[])"));
        int p = 3;
        for (TableLayout.Column c : layout.columns()) {
            names.add(Sql.quote(c.name()));
            unnest.add("unnest($" + (p++) + "::" + c.type().sql() + "[])");
        }
        // ROWS FROM(unnest(..), ...) rather than unnest(a, b, ...): no 100-argument function limit
        return "INSERT INTO " + Sql.quote(layout.table()) + " (" + String.join(", ", names) + ") SELECT * FROM ROWS FROM ("
                + String.join(", ", unnest) + ") ON CONFLICT DO NOTHING";
    }

    public static Tuple rowsTuple(TableLayout layout, List<DecodedRow> rows) {
        int n = rows.size();
        OffsetDateTime[] ts = new OffsetDateTime[n];
        String[] sites = new String[n];
        long lastTick = Long.MIN_VALUE;
        OffsetDateTime lastTs = null;
        for (int i = 0; i < n; i++) {
            DecodedRow r = rows.get(i);
            if (r.tickMillis() != lastTick) {
                lastTick = r.tickMillis();
                lastTs = toTimestamp(lastTick);
            }
            ts[i] = lastTs;
            sites[i] = r.device();
        }
        List<Object> params = new ArrayList<>(layout.width() + 2);
        params.add(ts);
        params.add(sites);
        List<TableLayout.Column> columns = layout.columns();
        for (int c = 0; c < columns.size(); c++) {
            switch (columns.get(c).type()) {
                case FLOAT8 -> {
                    Double[] a = new Double[n];
                    for (int i = 0; i < n; i++) {
                        DecodedRow r = rows.get(i);
                        a[i] = r.isNull(c) ? null : r.getDouble(c);
                    }
                    params.add(a);
                }
                case INT4 -> {
                    Integer[] a = new Integer[n];
                    for (int i = 0; i < n; i++) {
                        DecodedRow r = rows.get(i);
                        a[i] = r.isNull(c) ? null : (int) r.getLong(c);
                    }
                    params.add(a);
                }
                case INT8 -> {
                    Long[] a = new Long[n];
                    for (int i = 0; i < n; i++) {
                        DecodedRow r = rows.get(i);
                        a[i] = r.isNull(c) ? null : r.getLong(c);
                    }
                    params.add(a);
                }
                case TEXT -> {
                    String[] a = new String[n];
                    for (int i = 0; i < n; i++) {
                        DecodedRow r = rows.get(i);
                        a[i] = r.isNull(c) ? null : r.getText(c);
                    }
                    params.add(a);
                }
                case BOOL -> {
                    Boolean[] a = new Boolean[n];
                    for (int i = 0; i < n; i++) {
                        DecodedRow r = rows.get(i);
                        a[i] = r.isNull(c) ? null : r.getLong(c) != 0;
                    }
                    params.add(a);
                }
            }
        }
        return Tuple.wrap(params);
    }

    public static final String QUALITY_SQL = "INSERT INTO " + StoredColumns.QUALITY_TABLE
            + " (" + EVENT_TIME + ", " + EVENT_SITE_ID + ", table_name, group_key, column_name, raw_registers, decoded_value, rule)"
            + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING";

    public static List<Tuple> qualityTuples(List<QualityEvent> events) {
        List<Tuple> out = new ArrayList<>(events.size());
        for (QualityEvent q : events) {
            Integer[] raw = new Integer[q.raw().length];
            for (int i = 0; i < raw.length; i++) {
                raw[i] = q.raw()[i];
            }
            out.add(Tuple.of(toTimestamp(q.tickMillis()), q.device(), q.table(), q.groupKey(), q.column(), raw,
                    Double.isFinite(q.value()) ? q.value() : null, q.rule()));
        }
        return out;
    }

    public static final String GAPS_SQL = "INSERT INTO " + StoredColumns.GAPS_TABLE
            + " (" + EVENT_TIME + ", " + EVENT_SITE_ID + ", table_name, missing_rows, reason) SELECT * FROM ROWS FROM (unnest($1::timestamptz[]),"
            + " unnest($2::text[]), unnest($3::text[]), unnest($4::int4[]), unnest($5::text[])) ON CONFLICT DO NOTHING";

    public static Tuple gapsTuple(List<GapEvent> gaps) {
        int n = gaps.size();
        OffsetDateTime[] ts = new OffsetDateTime[n];
        String[] sites = new String[n];
        String[] tables = new String[n];
        Integer[] missing = new Integer[n];
        String[] reasons = new String[n];
        for (int i = 0; i < n; i++) {
            GapEvent g = gaps.get(i);
            ts[i] = toTimestamp(g.tickMillis());
            sites[i] = g.device();
            tables[i] = g.table();
            missing[i] = g.missingRows();
            reasons[i] = g.reason();
        }
        return Tuple.of(ts, sites, tables, missing, reasons);
    }

    static OffsetDateTime toTimestamp(long millis) {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
    }

    /**
     * One alarm's start or end. A start and its end are two versions of one row (keyed by id and
     * start): whichever arrives, in whatever order, and however often after a replay, the row ends
     * up with the start's facts and the end's time, peak and message once an end has arrived.
     */
    public static final String ALARMS_SQL = "INSERT INTO " + StoredColumns.ALARMS_TABLE + " (id, " + StoredColumns.ALARM_START
            + ", ended_at, " + StoredColumns.ALARM_DEVICE + ", bank, rack, code, level, message, trigger_values, peak_value)"
            + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (id, " + StoredColumns.ALARM_START
            + ") DO UPDATE SET ended_at = COALESCE(EXCLUDED.ended_at, " + StoredColumns.ALARMS_TABLE + ".ended_at),"
            + " peak_value = CASE WHEN EXCLUDED.ended_at IS NULL THEN " + StoredColumns.ALARMS_TABLE + ".peak_value ELSE EXCLUDED.peak_value END,"
            + " message = CASE WHEN EXCLUDED.ended_at IS NULL THEN " + StoredColumns.ALARMS_TABLE + ".message ELSE EXCLUDED.message END";

    public static List<Tuple> alarmTuples(List<Alarm> alarms) {
        List<Tuple> out = new ArrayList<>(alarms.size());
        for (Alarm a : alarms) {
            out.add(Tuple.from(new Object[] { a.id(), toTimestamp(a.startMillis()), a.active() ? null : toTimestamp(a.endMillis()),
                    a.device(), a.bank(), a.rack(), a.code(), a.level(), a.message(), triggerValues(a),
                    Double.isFinite(a.peak()) ? a.peak() : null }));
        }
        return out;
    }

    /** The value that raised the alarm under its column's name, with the limit and unit when it has them. */
    public static JsonObject triggerValues(Alarm a) {
        JsonObject j = new JsonObject().put(a.column(), a.value());
        if (a.limit() != null) {
            j.put("limit", a.limit());
        }
        if (a.unit() != null) {
            j.put("unit", a.unit());
        }
        return j;
    }
}
