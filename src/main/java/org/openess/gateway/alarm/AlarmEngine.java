package org.openess.gateway.alarm;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;
import org.openess.gateway.acquisition.DeviceCatalog;
import org.openess.gateway.acquisition.DeviceDefinition;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.profile.Profile;
import org.openess.gateway.sunspec.SunSpecEventBits;
import org.openess.gateway.sunspec.SunSpecSupport;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Evaluates every device's protection rules on each cycle (on the poller's event loop: a few
 * comparisons per row, no I/O) and keeps the active alarms in memory; starts and ends go to
 * {@link AlarmStore} for the events table.
 */
@ApplicationScoped
public class AlarmEngine {
    private static final Logger LOG = Logger.getLogger(AlarmEngine.class);

    @Inject
    AlarmStore store;

    private final Map<String, DeviceAlarms> devices = new ConcurrentHashMap<>();
    private final Map<UUID, Alarm> active = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> raised = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> ended = new ConcurrentHashMap<>();

    public void start(DeviceCatalog catalog) {
        Map<String, RuleSet> byProfile = new HashMap<>();
        Map<SunSpecSupport, RuleSet> bySupport = new HashMap<>();
        DeviceAlarms.Listener listener = new DeviceAlarms.Listener() {
            @Override
            public void raised(Alarm a) {
                active.put(a.id(), a);
                counter(raised, a.level() + "/" + a.code()).incrementAndGet();
                LOG.warnf("alarm %s %s raised: %s", a.level(), a.code(), a.message());
                store.started(a);
            }

            @Override
            public void ended(Alarm a) {
                active.remove(a.id());
                counter(ended, a.level() + "/" + a.code()).incrementAndGet();
                LOG.infof("alarm %s %s ended: %s", a.level(), a.code(), a.message());
                store.ended(a);
            }
        };
        for (DeviceDefinition d : catalog.devices()) {
            Profile p = d.profile();
            RuleSet rules;
            if (d.isSunSpec()) {
                List<SunSpecEventBits.EventBit> bits = SunSpecEventBits.of(d.sunspec().support().models());
                rules = bySupport.computeIfAbsent(d.sunspec().support(), s -> new RuleSet(p, bits));
                bits.forEach(b -> {
                    counter(raised, b.level() + "/" + b.symbol());
                    counter(ended, b.level() + "/" + b.symbol());
                });
            } else {
                rules = byProfile.computeIfAbsent(p.source(), s -> new RuleSet(p));
            }
            // every level/code in use gets its counters now, so the metrics show 0 rather than nothing
            p.protection().limits().forEach(l -> {
                if (l.warning() != null) {
                    counter(raised, "warning/" + l.code());
                    counter(ended, "warning/" + l.code());
                }
                if (l.fault() != null) {
                    counter(raised, "fault/" + l.code());
                    counter(ended, "fault/" + l.code());
                }
            });
            p.protection().flags().forEach(f -> {
                counter(raised, f.level() + "/" + f.code());
                counter(ended, f.level() + "/" + f.code());
            });
            devices.put(d.id(), new DeviceAlarms(d.id(), rules, listener));
        }
        store.start(catalog.devices().stream().map(DeviceDefinition::id).toList());
    }

    private static AtomicLong counter(Map<String, AtomicLong> counters, String key) {
        return counters.computeIfAbsent(key, k -> new AtomicLong());
    }

    /**
     * Ends every active alarm now (nothing watches them while polling is stopped) and forgets the
     * devices; the store goes on writing what is queued.
     */
    public void stop() {
        long now = System.currentTimeMillis();
        for (Alarm a : List.copyOf(active.values())) {
            Alarm ended = a.endedBecause(now, "ended: the gateway stopped polling");
            active.remove(a.id());
            counter(this.ended, a.level() + "/" + a.code()).incrementAndGet();
            store.ended(ended);
        }
        devices.clear();
    }

    public void accept(CycleOutput output) {
        DeviceAlarms d = devices.get(output.site());
        if (d != null) {
            d.evaluate(output);
        }
    }

    /** Active alarms, newest first; {@code site} null for all. */
    public List<Alarm> active(String site) {
        return active.values().stream().filter(a -> site == null || a.site().equals(site))
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
