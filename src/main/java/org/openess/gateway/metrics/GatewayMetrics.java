package org.openess.gateway.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import org.openess.gateway.alarm.AlarmEngine;
import org.openess.gateway.alarm.AlarmStore;
import org.openess.gateway.ops.DeviceReading;
import org.openess.gateway.ops.GatewayReadings;
import org.openess.gateway.ops.WriterReading;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The gateway's Prometheus metrics ({@code /q/metrics}), all read from the same counters as
 * {@code /api/status} at scrape time (no second bookkeeping). Names and labels are an API, listed
 * in the README ("Metrics"); labels are device, table, outcome, kind, code and level, never a
 * register or column, so the series count grows with devices only (nine per device).
 */
@ApplicationScoped
public class GatewayMetrics {
    @Inject
    MeterRegistry registry;
    @Inject
    GatewayReadings readings;
    @Inject
    AlarmEngine alarms;
    @Inject
    AlarmStore alarmStore;
    @Inject
    ArchiveMetrics archive;
    @Inject
    OwnMeters own;

    /** Strong references: Micrometer holds the objects behind function meters weakly. */
    private final List<Object> held = new ArrayList<>();
    /** Devices already bound: a restarted gateway keeps its meters. */
    private final java.util.Set<String> bound = new java.util.HashSet<>();
    private final WriterSnapshot writer = new WriterSnapshot();

    void onStart(@Observes StartupEvent e) {
        bindWriter();
        archive.bind(registry, own);
    }

    private void bindWriter() {
        String[] tables = { GatewayReadings.ALL_TABLES };
        for (String table : tables) {
            Tags t = Tags.of("table", table);
            counter("ess.rows.written", "Rows the database stored", t, w -> w.counts(table).written());
            counter("ess.rows.duplicate", "Rows the database already had (replays after a retry)", t, w -> w.counts(table).duplicate());
            counter("ess.rows.dropped", "Rows dropped because the write buffer was full", t, w -> w.counts(table).dropped());
            counter("ess.rows.rejected", "Rows the database refused as data errors (after retries)", t,
                    w -> w.counts(table).rejected());
        }
        counter("ess.rows.accepted", "Rows taken into the write buffer", Tags.empty(), w -> w.get().rowsAccepted());
        counter("ess.writer.statements", "INSERT statements sent", Tags.of("outcome", "ok"),
                w -> w.get().statements() - w.get().failedStatements());
        counter("ess.writer.statements", "INSERT statements sent", Tags.of("outcome", "failed"), w -> w.get().failedStatements());
        counter("ess.quality.events.written", "Rejected-value records stored in ess_quality", Tags.empty(),
                w -> w.get().qualityWritten());
        counter("ess.gap.events.written", "Gap records stored in ess_gaps", Tags.empty(), w -> w.get().gapsWritten());
        gauge("ess.buffer.records", "Records in the in-memory write buffer", Tags.empty(), w -> w.get().bufferRecords());
        gauge("ess.buffer.capacity.records", "Capacity of the write buffer (ess.storage.buffer-rows)", Tags.empty(),
                w -> w.get().bufferCapacity());
        gauge("ess.spool.records", "Records in the on-disk spool (-1: no spool)", Tags.empty(), w -> w.get().spoolRecords());
        gauge("ess.writer.schema.ready", "1 once the tables exist and rows are written", Tags.empty(),
                w -> w.get().schemaReady() ? 1 : 0);
        for (double q : new double[] { 0.5, 0.99, 1.0 }) {
            gauge("ess.tick.to.commit.seconds", "Tick-to-commit latency of stored rows since start (quantile 1 = max)",
                    Tags.of("quantile", q == 1.0 ? "1" : Double.toString(q)), w -> {
                        WriterReading r = w.get();
                        long ms = q == 0.5 ? r.tickToCommitP50Ms() : q == 0.99 ? r.tickToCommitP99Ms() : r.tickToCommitMaxMs();
                        return ms < 0 ? Double.NaN : ms / 1000.0;
                    });
        }
        counter("ess.tick.to.commit.rows", "Rows measured by ess_tick_to_commit_seconds", Tags.empty(),
                w -> w.get().tickToCommitSamples());
        for (DeviceReading.FailureKey k : FAILURE_KEYS) {
            own.add(FunctionCounter.builder("ess.reads.failed", failures, f -> f.get().getOrDefault(k, 0L))
                    .tags("kind", k.kind(), "code", k.exceptionCode())
                    .description("Failed Modbus reads of all devices by kind, exception responses by code (other: codes not listed)")
                    .register(registry));
        }
        own.add(Gauge.builder("ess.alarms.active", alarms, a -> a.activeCount("warning")).tags("level", "warning")
                .description("Protection-map alarms active now").register(registry));
        own.add(Gauge.builder("ess.alarms.active", alarms, a -> a.activeCount("fault")).tags("level", "fault")
                .description("Protection-map alarms active now").register(registry));
        own.add(FunctionCounter.builder("ess.alarm.events.dropped", alarmStore, AlarmStore::dropped)
                .description("Alarm starts/ends not stored because the event queue was full").register(registry));
        own.add(Gauge.builder("ess.alarm.events.queued", alarmStore, AlarmStore::queued)
                .description("Alarm starts/ends waiting to be stored").register(registry));
    }

    /** Per-device meters and the alarm counters of the rules in use; called once the devices are polled. */
    public synchronized void bindDevices() {
        for (String id : readings.deviceIds()) {
            if (!bound.add(id)) {
                continue;
            }
            DeviceSnapshot d = new DeviceSnapshot(readings, id);
            held.add(d);
            Tags t = Tags.of("device", id);
            dcounter(d, "ess.device.cycles", "Poll cycles by outcome: ok (all reads), partial (some failed), missed (tick skipped)",
                    t.and("outcome", "ok"), DeviceReading::cyclesComplete);
            dcounter(d, "ess.device.cycles", null, t.and("outcome", "partial"), DeviceReading::cyclesPartial);
            dcounter(d, "ess.device.cycles", null, t.and("outcome", "missed"), DeviceReading::ticksMissed);
            dcounter(d, "ess.device.reads.failed", "Modbus read requests that failed (by kind and code: ess_reads_failed_total)", t,
                    DeviceReading::readsFailed);
            dcounter(d, "ess.device.values.out.of.range", "Decoded values that broke their range/type check (stored as NULL)", t,
                    DeviceReading::valuesOutOfRange);
            dcounter(d, "ess.device.gap.rows", "Rows recorded as missing in ess_gaps", t, DeviceReading::gapRows);
            dgauge(d, "ess.device.cycle.duration.seconds", "Duration of the last poll cycle", t, r -> r.lastCycleMicros() / 1e6);
            dgauge(d, "ess.device.state", "0 ok, 1 degraded (some reads fail), 2 offline (no connection)", t, r -> r.state().code());
            dgauge(d, "ess.device.last.tick.timestamp.seconds", "Tick of the last finished cycle", t, r -> r.lastTickMillis() / 1000.0);
        }
        for (var e : alarms.raisedCounts().entrySet()) {
            if (!bound.add("raised " + e.getKey())) {
                continue;
            }
            String[] lc = e.getKey().split("/", 2);
            own.add(FunctionCounter.builder("ess.alarms.raised", e.getValue(), java.util.concurrent.atomic.AtomicLong::get)
                    .tags("level", lc[0], "code", lc[1]).description("Protection-map alarms raised since start").register(registry));
        }
        for (var e : alarms.endedCounts().entrySet()) {
            if (!bound.add("ended " + e.getKey())) {
                continue;
            }
            String[] lc = e.getKey().split("/", 2);
            own.add(FunctionCounter.builder("ess.alarms.ended", e.getValue(), java.util.concurrent.atomic.AtomicLong::get)
                    .tags("level", lc[0], "code", lc[1]).description("Protection-map alarms ended since start").register(registry));
        }
    }

    private void counter(String name, String help, Tags tags, ToDoubleFunction<WriterSnapshot> f) {
        own.add(FunctionCounter.builder(name, writer, w -> w.get() == null ? 0 : f.applyAsDouble(w)).tags(tags).description(help)
                .register(registry));
    }

    private void gauge(String name, String help, Tags tags, ToDoubleFunction<WriterSnapshot> f) {
        own.add(Gauge.builder(name, writer, w -> w.get() == null ? Double.NaN : f.applyAsDouble(w)).tags(tags).description(help)
                .register(registry));
    }

    private void dcounter(DeviceSnapshot d, String name, String help, Tags tags, ToDoubleFunction<DeviceReading> f) {
        var b = FunctionCounter.builder(name, d, s -> {
            DeviceReading r = s.get();
            return r == null ? 0 : f.applyAsDouble(r);
        }).tags(tags);
        if (help != null) {
            b.description(help);
        }
        own.add(b.register(registry));
    }

    private void dgauge(DeviceSnapshot d, String name, String help, Tags tags, ToDoubleFunction<DeviceReading> f) {
        own.add(Gauge.builder(name, d, s -> {
            DeviceReading r = s.get();
            return r == null ? Double.NaN : f.applyAsDouble(r);
        }).tags(tags).description(help).register(registry));
    }

    /** The failure series: fixed, so the series count does not depend on what went wrong. */
    static final List<DeviceReading.FailureKey> FAILURE_KEYS;

    static {
        List<DeviceReading.FailureKey> keys = new ArrayList<>();
        for (String kind : List.of("timeout", "not-connected", "bad-frame")) {
            keys.add(new DeviceReading.FailureKey(kind, ""));
        }
        for (String code : List.of("1", "2", "3", "4", "5", "6", "8", "10", "11", "other")) {
            keys.add(new DeviceReading.FailureKey("exception-response", code));
        }
        FAILURE_KEYS = List.copyOf(keys);
    }

    private final FailureTotals failures = new FailureTotals();

    /** Failed reads summed over every device, once per scrape. */
    final class FailureTotals {
        private Map<DeviceReading.FailureKey, Long> value = Map.of();
        private long at;

        synchronized Map<DeviceReading.FailureKey, Long> get() {
            long now = System.nanoTime();
            if (at == 0 || now - at > 200_000_000L) {
                Map<DeviceReading.FailureKey, Long> sum = new java.util.HashMap<>();
                for (DeviceReading r : readings.devices()) {
                    r.readsFailedBy().forEach((k, n) -> {
                        boolean listed = FAILURE_KEYS.contains(k);
                        sum.merge(listed ? k : new DeviceReading.FailureKey(k.kind(), k.kind().equals("exception-response") ? "other" : ""),
                                n, Long::sum);
                    });
                }
                value = sum;
                at = now;
            }
            return value;
        }
    }

    /** One writer reading per scrape instead of one per meter. */
    final class WriterSnapshot {
        private WriterReading value;
        private long at;

        synchronized WriterReading get() {
            long now = System.nanoTime();
            if (value == null || now - at > 200_000_000L) {
                value = readings.writer();
                at = now;
            }
            return value;
        }

        WriterReading.TableCounts counts(String table) {
            Map<String, WriterReading.TableCounts> m = get().perTable();
            return m.getOrDefault(table, new WriterReading.TableCounts(0, 0, 0, 0));
        }
    }
}
