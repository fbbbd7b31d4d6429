package org.openess.gateway.status;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.openess.gateway.acquisition.DeviceHealth;
import org.openess.gateway.acquisition.DeviceState;
import org.openess.gateway.modbus.ModbusReadException;

/**
 * Devices counted by state and cause, and the one line that says so: "412 devices degraded in the
 * last 10 s: 398 timeouts on fc4 200+125, 14 refused; see /api/devices". Not thread-safe.
 */
final class StateChangeSummary {
    /** Why a device is in its state, worded for one device and for several. */
    record Cause(String one, String many) {
        String words(long n) {
            return n == 1 ? one : many;
        }
    }

    private static final Cause RECOVERED = new Cause("", "");

    private final Map<DeviceState, Map<Cause, Long>> counts = new EnumMap<>(DeviceState.class);

    /** Counts a device now in {@code health}'s state for {@code health}'s cause. */
    void add(DeviceHealth health) {
        counts.computeIfAbsent(health.state(), s -> new HashMap<>()).merge(cause(health), 1L, Long::sum);
    }

    boolean isEmpty() {
        return counts.isEmpty();
    }

    long devices() {
        long n = 0;
        for (Map<Cause, Long> byCause : counts.values()) {
            for (long c : byCause.values()) {
                n += c;
            }
        }
        return n;
    }

    /**
     * The line: with one state "N devices offline in the last 10 s: causes; see /api/devices", with
     * several "N devices changed state in the last 10 s: A offline (causes), B ok again; see …".
     * {@code header} null: that wording; else it replaces "N devices … in the last 10 s".
     */
    String line(String interval, String header) {
        return line(interval, header, false);
    }

    /** {@code census}: the devices as they are, not what changed ("ok" rather than "ok again"). */
    String line(String interval, String header, boolean census) {
        List<DeviceState> states = new ArrayList<>(counts.keySet());
        states.sort(Comparator.comparingInt(StateChangeSummary::severity));
        long total = devices();
        StringBuilder b = new StringBuilder();
        if (states.size() == 1 && header == null) {
            DeviceState s = states.get(0);
            b.append(total).append(total == 1 ? " device " : " devices ").append(phrase(s, census)).append(" in the last ").append(interval);
            if (s.bad()) {
                b.append(": ").append(causes(counts.get(s)));
            }
        } else {
            b.append(header != null ? header : total + (total == 1 ? " device" : " devices") + " changed state in the last " + interval)
                    .append(": ");
            for (int i = 0; i < states.size(); i++) {
                DeviceState s = states.get(i);
                long n = counts.get(s).values().stream().mapToLong(Long::longValue).sum();
                b.append(i == 0 ? "" : ", ").append(n).append(' ').append(phrase(s, census));
                if (s.bad()) {
                    b.append(" (").append(causes(counts.get(s))).append(')');
                }
            }
        }
        return b.append("; see /api/devices").toString();
    }

    private static String phrase(DeviceState s, boolean census) {
        return s == DeviceState.OK && !census ? "ok again" : s.label();
    }

    private static int severity(DeviceState s) {
        return switch (s) {
            case OFFLINE -> 0;
            case DEGRADED -> 1;
            case CONNECTING -> 2;
            case OK -> 3;
        };
    }

    private static String causes(Map<Cause, Long> byCause) {
        List<Map.Entry<Cause, Long>> entries = new ArrayList<>(byCause.entrySet());
        entries.sort(Map.Entry.<Cause, Long>comparingByValue().reversed().thenComparing(e -> e.getKey().many()));
        StringBuilder b = new StringBuilder();
        for (Map.Entry<Cause, Long> e : entries) {
            b.append(b.length() == 0 ? "" : ", ").append(e.getValue()).append(' ').append(e.getKey().words(e.getValue()));
        }
        return b.toString();
    }

    /** What a device in {@code h} suffers from, for grouping: the kind of its last failure and the read it hit. */
    static Cause cause(DeviceHealth h) {
        if (!h.state().bad() || h.lastErrorKind() == null) {
            return RECOVERED;
        }
        String on = h.lastErrorRead() == null ? "" : " on " + h.lastErrorRead();
        ModbusReadException.Kind kind = h.lastErrorKind();
        return switch (kind) {
            case TIMEOUT -> new Cause("timeout" + on, "timeouts" + on);
            case EXCEPTION_RESPONSE -> {
                String e = String.format("exception %02d%s", h.lastExceptionCode(), on);
                yield new Cause(e, e);
            }
            case BAD_FRAME -> new Cause("bad frame" + on, "bad frames" + on);
            case NOT_CONNECTED -> {
                String error = h.lastError() == null ? "" : h.lastError();
                yield error.contains("refused") ? new Cause("refused", "refused") : new Cause("not connected", "not connected");
            }
        };
    }
}
