package org.openess.gateway.status;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;
import org.openess.gateway.acquisition.DeviceHealth;
import org.openess.gateway.acquisition.DeviceState;
import org.openess.gateway.logging.LineBudget;

/**
 * Logs what changed about the devices, in lines that stay few however many devices fail at once.
 * A device line is written when a device goes bad (degraded or offline), fails in a new way
 * (another state, error kind or exception code) or is ok again; not when it leaves
 * {@code connecting} for {@code ok}. Lines come out of the gateway's log budget
 * ({@code ess.modbus.log-lines} per {@code ess.modbus.log-interval}, shared with the connection
 * problems and the alarms); what the budget refuses is summarised in one line per interval, devices counted by new
 * state and cause ({@link StateChangeSummary}). Once every device has finished its first cycle one
 * line says how they came up, and while devices stay bad one line per
 * {@code ess.modbus.log-summary-interval} counts them. The metrics and {@code /api/devices} show
 * every device; only the log is budgeted. Called on the pollers' event loops: thread-safe. Its
 * owner calls {@link #flush} once per log interval ({@link DeviceStateLog} with a timer).
 */
public final class StateLog {
    private static final Logger LOG = Logger.getLogger(DeviceStateLog.class);

    /** Per device: written on its poller's event loop only, read by the timer. */
    private static final class Tracked {
        volatile DeviceHealth health;
        volatile String signature;
        volatile long badSinceMillis;
    }

    private final Map<String, Tracked> devices = new ConcurrentHashMap<>();
    /** The latest change of each device whose line the budget refused in this interval; guarded by itself. */
    private final Map<String, DeviceHealth> held = new HashMap<>();
    private final AtomicInteger connecting = new AtomicInteger();
    private final LineBudget budget;
    private final long reminderMillis;
    private final long startedMillis;
    private long nextReminderMillis;

    /**
     * @param budget the gateway's log budget (shared with the connection problems and the alarms)
     * @param reminder how often to count the devices that stay bad
     * @param ids every device, connecting since {@code nowMillis}
     */
    public StateLog(LineBudget budget, Duration reminder, Collection<String> ids, long nowMillis) {
        this.budget = budget;
        this.reminderMillis = reminder.toMillis();
        for (String id : ids) {
            Tracked t = new Tracked();
            t.health = DeviceHealth.connecting(nowMillis);
            devices.put(id, t);
        }
        connecting.set(devices.size());
        startedMillis = nowMillis;
        nextReminderMillis = nowMillis + reminderMillis;
    }

    /** A device's health after a cycle whose state differs from the one before, or is still bad. */
    public void stateChanged(String device, DeviceHealth before, DeviceHealth after, long now) {
        Tracked t = devices.computeIfAbsent(device, id -> new Tracked());
        t.health = after;
        if (before.state() == DeviceState.CONNECTING && after.state() != DeviceState.CONNECTING && connecting.decrementAndGet() == 0) {
            allStarted(now);
        }
        String line = line(device, t, before, after, now);
        if (line == null) {
            return;
        }
        if (budget.tryLine()) {
            if (after.state().bad()) {
                LOG.warn(line);
            } else {
                LOG.info(line);
            }
        } else {
            synchronized (held) {
                held.put(device, after);
            }
        }
    }

    /** The device line for this change, or null when it is not worth one. */
    private static String line(String id, Tracked t, DeviceHealth before, DeviceHealth after, long now) {
        DeviceState was = before.state();
        DeviceState is = after.state();
        if (!is.bad()) {
            t.signature = null;
            if (!was.bad()) {
                return null;
            }
            return String.format("device %s is ok again after %s %s (%d cycle(s) with failed reads; last error: %s)", id,
                    duration(now - t.badSinceMillis), was.label(), before.consecutiveFailedCycles(), before.lastError());
        }
        String sig = is.label() + "/" + after.lastErrorKindLabel() + "/" + after.lastExceptionCode();
        String previous = t.signature;
        t.signature = sig;
        if (!was.bad()) {
            t.badSinceMillis = now;
            return String.format("device %s is %s%s: %s", id, is.label(),
                    was == DeviceState.CONNECTING ? " after its first cycle" : "", after.lastError());
        }
        if (!sig.equals(previous)) {
            return String.format("device %s is %s (was %s), failing differently: %s", id, is.label(), was.label(), after.lastError());
        }
        return null;
    }

    private void allStarted(long now) {
        StateChangeSummary s = new StateChangeSummary();
        devices.values().forEach(t -> s.add(t.health));
        LOG.info(s.line(null, "all " + devices.size() + " device(s) through their first cycle "
                + duration(now - startedMillis) + " after the start", true));
    }

    /** Writes the summary of the lines the budget refused, and the periodic count of devices still bad. */
    public synchronized void flush(long now) {
        StateChangeSummary refused = new StateChangeSummary();
        synchronized (held) {
            held.values().forEach(refused::add);
            held.clear();
        }
        if (!refused.isEmpty()) {
            LOG.warn(refused.line(LineBudget.describe(budget.interval()), null));
        }
        if (now - nextReminderMillis >= 0) {
            nextReminderMillis = now + reminderMillis;
            StateChangeSummary bad = new StateChangeSummary();
            devices.values().stream().map(t -> t.health).filter(h -> h.state().bad()).forEach(bad::add);
            if (!bad.isEmpty()) {
                LOG.warn(bad.line(null, bad.devices() + " device(s) not ok", true));
            }
        }
    }

    private static String duration(long millis) {
        long s = Math.max(0, millis) / 1000;
        return s < 120 ? s + " s" : s < 7200 ? (s / 60) + " min" : (s / 3600) + " h";
    }
}
