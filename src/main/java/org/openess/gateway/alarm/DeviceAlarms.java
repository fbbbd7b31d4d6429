package org.openess.gateway.alarm;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.openess.gateway.decode.Alarm;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.decode.DecodedRow;
import org.openess.gateway.profile.SqlType;
import org.openess.gateway.profile.TableLayout;

/**
 * The alarm state of one device: per check and row (bank, rack) a small state machine driven by
 * tick times, not the wall clock, so a late cycle does not shorten a delay. A NULL value (failed
 * read, rejected value) or a missing row holds the state as it is: no data is no evidence either way.
 * <p>
 * Alarms still active when the gateway last stopped are carried: the first time their check is
 * evaluated on their row, the check starts out active with that alarm (same id, same start), so
 * an alarm whose condition still holds goes on instead of ending and starting again.
 */
final class DeviceAlarms {
    /** Run state of one check on one row. */
    private static final class Track {
        long runStart = -1; // first tick of the current run toward raising (inactive) or ending (active)
        double peak = Double.NaN;
        Alarm alarm;
    }

    interface Listener {
        void raised(Alarm alarm);

        void ended(Alarm alarm);
    }

    private final String device;
    private final RuleSet rules;
    private final Listener listener;
    private final Map<TrackKey, Track> tracks = new HashMap<>();
    /** Alarms active at the last stop whose check has not been evaluated since, by {@link #carryKey}. */
    private final Map<String, Alarm> carried = new HashMap<>();

    private record TrackKey(TableLayout layout, int check, int rack) {
    }

    DeviceAlarms(String device, RuleSet rules, Listener listener) {
        this.device = device;
        this.rules = rules;
        this.listener = listener;
    }

    private static String carryKey(String code, String level, Integer rack) {
        return level + "/" + code + "/" + (rack == null ? 0 : rack);
    }

    /**
     * Takes an alarm active at the last stop; false when this device already has an active alarm
     * of the same check and row (raised before the carried one was known), which then stays.
     */
    synchronized boolean carry(Alarm alarm) {
        String key = carryKey(alarm.code(), alarm.level(), alarm.rack());
        for (Track t : tracks.values()) {
            if (t.alarm != null && carryKey(t.alarm.code(), t.alarm.level(), t.alarm.rack()).equals(key)) {
                return t.alarm.id().equals(alarm.id());
            }
        }
        Alarm before = carried.putIfAbsent(key, alarm);
        return before == null || before.id().equals(alarm.id());
    }

    synchronized void evaluate(CycleOutput output) {
        for (DecodedRow row : output.rows()) {
            List<Check> checks = rules.checks(row.layout());
            if (checks.isEmpty()) {
                continue;
            }
            Integer bank = keyValue(row, TableLayout.ColumnKind.CONSTANT, "BANK_ID");
            Integer rack = keyValue(row, TableLayout.ColumnKind.GROUP_KEY, null);
            for (int i = 0; i < checks.size(); i++) {
                Check c = checks.get(i);
                if (row.isNull(c.columnIndex())) {
                    continue;
                }
                double v = numeric(row, c.columnIndex());
                boolean exceeded = c.exceeded(v);
                if (!exceeded && tracks.isEmpty() && carried.isEmpty()) {
                    continue; // the usual case: nothing pending or active on this device, nothing to look up
                }
                TrackKey key = new TrackKey(row.layout(), i, rack == null ? 0 : rack);
                Track t = tracks.get(key);
                if (t == null) {
                    Alarm carry = carried.isEmpty() ? null : carried.remove(carryKey(c.code(), c.level(), rack));
                    if (carry == null && !exceeded) {
                        continue;
                    }
                    t = new Track();
                    if (carry != null) {
                        t.alarm = carry;
                        t.peak = carry.peak();
                    }
                    tracks.put(key, t);
                }
                step(t, c, v, row.tickMillis(), bank, rack, row.layout().table());
                if (t.alarm == null && t.runStart < 0) {
                    tracks.remove(key); // idle again: only pending and active checks take memory
                }
            }
        }
    }

    private void step(Track t, Check c, double v, long tick, Integer bank, Integer rack, String table) {
        if (t.alarm == null) {
            if (!c.exceeded(v)) {
                t.runStart = -1;
                t.peak = Double.NaN;
                return;
            }
            if (t.runStart < 0) {
                t.runStart = tick;
                t.peak = v;
            } else {
                t.peak = c.worst(t.peak, v);
            }
            if (tick - t.runStart >= rules.onDelayMillis()) {
                String where = device + (bank == null && rack == null ? " " + table : "") + (bank != null ? " bank " + bank : "")
                        + (rack != null ? " rack " + rack : "");
                t.alarm = new Alarm(UUID.randomUUID(), device, bank, rack, c.code(), c.level(), c.column(), c.unit(), v,
                        c.flag() ? null : c.limit(), c.describe(v, where), t.runStart, 0, t.peak);
                t.runStart = -1;
                listener.raised(t.alarm);
            }
            return;
        }
        if (c.exceeded(v)) {
            t.peak = c.worst(t.peak, v);
        }
        if (!c.cleared(v)) {
            t.runStart = -1; // back in the deadband or beyond the limit: the off-delay starts over
            return;
        }
        if (t.runStart < 0) {
            t.runStart = tick;
        }
        if (tick - t.runStart >= rules.offDelayMillis()) {
            Alarm ended = t.alarm.ended(t.runStart, t.peak);
            t.alarm = null;
            t.runStart = -1;
            t.peak = Double.NaN;
            listener.ended(ended);
        }
    }

    private static Integer keyValue(DecodedRow row, TableLayout.ColumnKind kind, String name) {
        List<TableLayout.Column> cols = row.layout().columns();
        for (int i = 0; i < cols.size(); i++) {
            TableLayout.Column c = cols.get(i);
            if (c.kind() == kind && (name == null || c.name().equals(name))) {
                return row.isNull(i) ? null : (int) row.getLong(i);
            }
        }
        return null;
    }

    private static double numeric(DecodedRow row, int column) {
        return row.layout().columns().get(column).type() == SqlType.FLOAT8 ? row.getDouble(column) : row.getLong(column);
    }
}
