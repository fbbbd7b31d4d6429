package org.openess.gateway.alarm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;
import org.openess.gateway.acquisition.Acquisition;
import org.openess.gateway.acquisition.DeviceCatalog;
import org.openess.gateway.acquisition.DeviceDefinition;
import org.openess.gateway.acquisition.PipelineListener;
import org.openess.gateway.config.EssConfig;
import org.openess.gateway.decode.Alarm;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.logging.BudgetedLog;
import org.openess.gateway.profile.Profile;
import org.openess.gateway.storage.Storage;
import org.openess.gateway.storage.StorageQueries;
import org.openess.gateway.sunspec.SunSpecEventBits;
import org.openess.gateway.sunspec.SunSpecSupport;

import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Evaluates every device's protection rules on each decoded cycle (on the poller's event loop: a
 * few comparisons per row, no I/O) and keeps the active alarms in memory. Starts and ends go to
 * storage like a cycle's rows (through the spool when there is one), so an alarm that starts during
 * a database outage survives a crash. Alarms active when the gateway stopped are carried on: read
 * from the active-alarms file beside the spool, or from the open rows of {@code ess_alarms}.
 * Starts and ends are logged within the gateway's log budget ({@code ess.modbus.log-lines} per
 * {@code ess.modbus.log-interval}, shared with device state changes; then one summary line), so a
 * site-wide event is not a log storm.
 */
@ApplicationScoped
public class AlarmEngine implements PipelineListener {
    private static final Logger LOG = Logger.getLogger(AlarmEngine.class);
    private static final long OPEN_ALARMS_RETRY_MILLIS = 5_000;

    @Inject
    Storage storage;
    @Inject
    StorageQueries queries;
    @Inject
    EssConfig config;
    @Inject
    Vertx vertx;
    @Inject
    Acquisition acquisition;

    private final Map<String, DeviceEvaluation> devices = new ConcurrentHashMap<>();
    private final Map<UUID, Alarm> active = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> raised = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> ended = new ConcurrentHashMap<>();
    /** "level/code" of every rule per device: a carried alarm whose rule is gone is ended, not kept forever. */
    private final Map<String, Set<String>> codesByDevice = new HashMap<>();
    private ActiveAlarmsFile file;
    private volatile boolean running;
    private volatile BudgetedLog alarmLog;
    private long flushTimer = -1;

    @Override
    public synchronized void started(DeviceCatalog catalog) {
        Map<String, RuleSet> byProfile = new HashMap<>();
        Map<SunSpecSupport, RuleSet> bySupport = new HashMap<>();
        for (DeviceDefinition d : catalog.devices()) {
            Profile p = d.profile();
            Set<String> codes = new HashSet<>();
            RuleSet rules;
            if (d.isSunSpec()) {
                List<SunSpecEventBits.EventBit> bits = SunSpecEventBits.of(d.sunspec().support().models());
                rules = bySupport.computeIfAbsent(d.sunspec().support(), s -> new RuleSet(p, bits));
                bits.forEach(b -> codes.add(b.level() + "/" + b.symbol()));
            } else {
                rules = byProfile.computeIfAbsent(p.source(), s -> new RuleSet(p));
            }
            p.protection().limits().forEach(l -> {
                if (l.warning() != null) {
                    codes.add("warning/" + l.code());
                }
                if (l.fault() != null) {
                    codes.add("fault/" + l.code());
                }
            });
            p.protection().flags().forEach(f -> codes.add(f.level() + "/" + f.code()));
            // every level/code in use gets its counters now, so the metrics show 0 rather than nothing
            codes.forEach(c -> {
                counter(raised, c);
                counter(ended, c);
            });
            codesByDevice.put(d.id(), codes);
            devices.put(d.id(), new DeviceEvaluation(d.id(), rules));
        }
        running = true;
        BudgetedLog log = new BudgetedLog(LOG, acquisition.logBudget(), "alarm starts and ends", "/api/alarms");
        alarmLog = log;
        flushTimer = vertx.setPeriodic(config.modbus().logInterval().toMillis(), id -> log.flush());
        config.spool().dir().filter(dir -> !dir.isBlank()).ifPresent(dir -> {
            file = new ActiveAlarmsFile(Path.of(dir));
            carry(file.read(), "the active-alarms file");
        });
        loadOpenAlarms(catalog.devices().stream().map(DeviceDefinition::id).toList());
    }

    /** The open rows of ess_alarms, once the database answers; retried while it does not. */
    private void loadOpenAlarms(List<String> ids) {
        queries.openAlarms(ids).onSuccess(open -> carry(open, "the database")).onFailure(e -> {
            if (running) {
                LOG.debugf("open alarms not read yet (%s); retrying", e.getMessage());
                vertx.setTimer(OPEN_ALARMS_RETRY_MILLIS, id -> loadOpenAlarms(ids));
            }
        });
    }

    private synchronized void carry(List<Alarm> alarms, String from) {
        List<Alarm> closed = new ArrayList<>();
        int carried = 0;
        long now = System.currentTimeMillis();
        for (Alarm a : alarms) {
            if (active.containsKey(a.id())) {
                continue;
            }
            DeviceEvaluation d = devices.get(a.device());
            Set<String> codes = codesByDevice.get(a.device());
            if (d == null || codes == null || !codes.contains(a.level() + "/" + a.code())) {
                closed.add(a.endedBecause(now, "closed: no longer a rule of this device"));
            } else if (d.alarms.carry(a)) {
                active.put(a.id(), a);
                carried++;
            } else {
                closed.add(a.endedBecause(now, "closed: raised again while the gateway could not read it back"));
            }
        }
        if (carried > 0) {
            LOG.infof("%d alarm(s) active at the last stop carried on (from %s)", carried, from);
            saveActive();
        }
        for (Alarm a : closed) {
            counter(ended, a.level() + "/" + a.code()).incrementAndGet();
            storage.accept(CycleOutput.ofAlarms(a.device(), now, List.of(a)));
        }
    }

    /** One device's rules, and the starts and ends of the cycle being evaluated, stored together after it. */
    private final class DeviceEvaluation implements DeviceAlarms.Listener {
        final DeviceAlarms alarms;
        private List<Alarm> changes;

        DeviceEvaluation(String device, RuleSet rules) {
            this.alarms = new DeviceAlarms(device, rules, this);
        }

        /** The starts and ends this cycle caused; null when none. */
        synchronized List<Alarm> evaluate(CycleOutput output) {
            alarms.evaluate(output);
            List<Alarm> out = changes;
            changes = null;
            return out;
        }

        @Override
        public void raised(Alarm a) {
            active.put(a.id(), a);
            counter(raised, a.level() + "/" + a.code()).incrementAndGet();
            log(Logger.Level.WARN, "raised " + a.level() + " " + a.code(), "alarm " + a.level() + " " + a.code() + " raised: " + a.message());
            add(a);
        }

        @Override
        public void ended(Alarm a) {
            active.remove(a.id());
            counter(ended, a.level() + "/" + a.code()).incrementAndGet();
            log(Logger.Level.INFO, "ended " + a.level() + " " + a.code(), "alarm " + a.level() + " " + a.code() + " ended: " + a.message());
            add(a);
        }

        private void add(Alarm a) {
            if (changes == null) {
                changes = new ArrayList<>(2);
            }
            changes.add(a);
        }
    }

    private void log(Logger.Level level, String cause, String line) {
        BudgetedLog log = alarmLog;
        if (log == null) {
            LOG.log(level, line);
        } else {
            log.log(level, cause, line);
        }
    }

    private static AtomicLong counter(Map<String, AtomicLong> counters, String key) {
        return counters.computeIfAbsent(key, k -> new AtomicLong());
    }

    @Override
    public void accept(CycleOutput output) {
        DeviceEvaluation d = devices.get(output.device());
        if (d == null || output.rows().isEmpty()) {
            return;
        }
        List<Alarm> changes = d.evaluate(output);
        if (changes != null) {
            storage.accept(CycleOutput.ofAlarms(output.device(), output.tickMillis(), changes));
            saveActive();
        }
    }

    private void saveActive() {
        ActiveAlarmsFile f = file;
        if (f != null) {
            f.save(active.values());
        }
    }

    /**
     * Polling stopped: active alarms stay open (in the database and the active-alarms file) and are
     * carried on by the next start, whose first cycles say whether they still hold.
     */
    @Override
    public synchronized void stopping() {
        running = false;
        if (flushTimer >= 0) {
            vertx.cancelTimer(flushTimer);
            flushTimer = -1;
        }
        BudgetedLog log = alarmLog;
        if (log != null) {
            log.flush();
        }
        devices.clear();
        if (file != null) {
            file.save(active.values());
            file.close();
            file = null;
        }
        active.clear();
    }

    /** Active alarms, newest first; {@code device} null for all. */
    public List<Alarm> active(String device) {
        return active.values().stream().filter(a -> device == null || a.device().equals(device))
                .sorted(Comparator.comparingLong(Alarm::startMillis).reversed()).toList();
    }

    public long activeCount(String level) {
        return active.values().stream().filter(a -> a.level().equals(level)).count();
    }

    /** Raised alarms by "level/code" since start. */
    public Map<String, AtomicLong> raisedCounts() {
        return raised;
    }

    public Map<String, AtomicLong> endedCounts() {
        return ended;
    }
}
