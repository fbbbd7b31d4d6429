package org.openess.gateway.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

import org.openess.gateway.profile.StoredColumns;
import org.openess.gateway.acquisition.Acquisition;
import org.openess.gateway.acquisition.DeviceCatalog;
import org.openess.gateway.acquisition.DeviceStats;
import org.openess.gateway.acquisition.DeviceStatus;
import org.openess.gateway.acquisition.PipelineListener;
import org.openess.gateway.alarm.AlarmEngine;
import org.openess.gateway.profile.TableLayout;
import org.openess.gateway.storage.Storage;
import org.openess.gateway.storage.WriterStatus;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The gateway's Prometheus metrics ({@code /q/metrics}), all read from the same counters as
 * {@code /api/status} at scrape time (no second bookkeeping), through one {@link Snapshot} of
 * every reading per scrape. Names and labels are an API, listed in docs/operations.md; labels
 * are device, table, outcome, kind, code and level, never a register or column, so the series
 * count grows with devices and tables only (nine per device, written by {@link DeviceSeries}; four per table; {@code table} is a
 * table name: the profiles' tables, those SunSpec devices discover, {@code ess_quality},
 * {@code ess_gaps}).
 * <p>
 * A subscriber of the pipeline: bound when the service starts ({@link #started}), not on Quarkus'
 * startup, so the one-shot {@code archive} and {@code simulate} commands never build this bean or
 * the alarm engine. Devices and tables are bound when they first appear, each once: a restarted
 * gateway keeps its meters, a table discovered at run time gets its series then
 * ({@link #tablesDiscovered}).
 */
@ApplicationScoped
public class GatewayMetrics implements PipelineListener {
    @Inject
    MeterRegistry registry;
    @Inject
    Acquisition acquisition;
    @Inject
    Storage storage;
    @Inject
    AlarmEngine alarms;
    @Inject
    ArchiveMetrics archive;
    @Inject
    OwnMeters own;
    @Inject
    BusMetrics buses;

    /** Devices, tables and alarm codes already bound (prefixed by what they are). */
    private final Set<String> bound = new HashSet<>();
    /** Held here: Micrometer holds the objects behind function meters weakly. */
    private final Snapshot snapshot = new Snapshot();
    private boolean gatewayBound;

    /** Binds the writer, archive and alarm meters (once), and every device and table not bound yet. */
    @Override
    public synchronized void started(DeviceCatalog catalog) {
        if (!gatewayBound) {
            gatewayBound = true;
            bindWriter();
            archive.bind(registry, own);
            own.addCollector(new DeviceSeries(() -> snapshot.get().devices()));
        }
        bindAlarmCounters();
        buses.bind(catalog);
        bindTables();
        // a scrape just before the start holds no devices: the next one must see every device's series
        snapshot.invalidate();
    }

    /** A device discovered tables at run time (storage knows them already): their series start now. */
    @Override
    public synchronized void tablesDiscovered(String device, java.util.Collection<TableLayout> layouts) {
        if (gatewayBound) {
            bindTables();
        }
    }

    private void bindWriter() {
        counter("ess.rows.accepted", "Rows taken into the write buffer", Tags.empty(), w -> w.writer().rowsAccepted());
        counter("ess.writer.statements", "INSERT statements sent", Tags.of("outcome", "ok"),
                w -> {
                    WriterStatus r = w.writer();
                    return r.statements() - r.failedStatements();
                });
        counter("ess.writer.statements", "INSERT statements sent", Tags.of("outcome", "failed"), w -> w.writer().failedStatements());
        counter("ess.quality.events.written", "Rejected-value records stored in ess_quality", Tags.empty(),
                w -> w.writer().counts(StoredColumns.QUALITY_TABLE).written());
        counter("ess.gap.events.written", "Gap records stored in ess_gaps", Tags.empty(),
                w -> w.writer().counts(StoredColumns.GAPS_TABLE).written());
        gauge("ess.buffer.records", "Records in the in-memory write buffer", Tags.empty(), w -> w.writer().bufferRecords());
        gauge("ess.buffer.capacity.records", "Capacity of the write buffer (ess.storage.buffer-rows)", Tags.empty(),
                w -> w.writer().bufferCapacity());
        gauge("ess.spool.records", "Records in the on-disk spool (-1: no spool)", Tags.empty(), w -> w.writer().spoolRecords());
        gauge("ess.writer.schema.ready", "1 once the tables exist and rows are written", Tags.empty(),
                w -> w.writer().schemaReady() ? 1 : 0);
        for (double q : new double[] { 0.5, 0.99, 1.0 }) {
            gauge("ess.tick.to.commit.seconds", "Tick-to-commit latency of stored rows since start (quantile 1 = max)",
                    Tags.of("quantile", q == 1.0 ? "1" : Double.toString(q)), w -> {
                        WriterStatus.Latency r = w.writer().live();
                        long ms = q == 0.5 ? r.p50Ms() : q == 0.99 ? r.p99Ms() : r.maxMs();
                        return ms < 0 ? Double.NaN : ms / 1000.0;
                    });
        }
        counter("ess.tick.to.commit.rows", "Rows measured by ess_tick_to_commit_seconds", Tags.empty(),
                w -> w.writer().live().samples());
        for (FailureKey k : FAILURE_KEYS) {
            own.add(FunctionCounter.builder("ess.reads.failed", snapshot, f -> f.get().failures().getOrDefault(k, 0L))
                    .tags("kind", k.kind(), "code", k.exceptionCode())
                    .description("Failed Modbus reads of all devices by kind, exception responses by code (other: codes not listed)")
                    .register(registry));
        }
        own.add(Gauge.builder("ess.alarms.active", alarms, a -> a.activeCount("warning")).tags("level", "warning")
                .description("Protection-map alarms active now").register(registry));
        own.add(Gauge.builder("ess.alarms.active", alarms, a -> a.activeCount("fault")).tags("level", "fault")
                .description("Protection-map alarms active now").register(registry));
    }

    /** Rows written, duplicate, dropped and rejected of each table the writer knows and that has no series yet. */
    private void bindTables() {
        WriterStatus w = storage.status();
        if (w == null) {
            return;
        }
        for (String table : w.perTable().keySet()) {
            if (!bound.add("table " + table)) {
                continue;
            }
            Tags t = Tags.of("table", table);
            counter("ess.rows.written", "Rows the database stored, per table (ess_quality, ess_gaps, ess_alarms: their records)", t,
                    s -> s.writer().counts(table).written());
            counter("ess.rows.duplicate", "Rows the database already had (replays after a retry), per table", t,
                    s -> s.writer().counts(table).duplicate());
            counter("ess.rows.dropped", "Rows dropped because the write buffer or spool was full, per table", t,
                    s -> s.writer().counts(table).dropped());
            counter("ess.rows.rejected", "Rows the database refused as data errors (after retries), per table", t,
                    s -> s.writer().counts(table).rejected());
        }
    }

    /** The alarm counters of the rules in use (the per-device series are {@link DeviceSeries}). */
    private void bindAlarmCounters() {
        for (var e : alarms.raisedCounts().entrySet()) {
            if (!bound.add("raised " + e.getKey())) {
                continue;
            }
            String[] lc = e.getKey().split("/", 2);
            own.add(FunctionCounter.builder("ess.alarms.raised", e.getValue(), AtomicLong::get)
                    .tags("level", lc[0], "code", lc[1]).description("Protection-map alarms raised since start").register(registry));
        }
        for (var e : alarms.endedCounts().entrySet()) {
            if (!bound.add("ended " + e.getKey())) {
                continue;
            }
            String[] lc = e.getKey().split("/", 2);
            own.add(FunctionCounter.builder("ess.alarms.ended", e.getValue(), AtomicLong::get)
                    .tags("level", lc[0], "code", lc[1]).description("Protection-map alarms ended since start").register(registry));
        }
    }

    private void counter(String name, String help, Tags tags, ToDoubleFunction<Snapshot> f) {
        own.add(FunctionCounter.builder(name, snapshot, s -> s.get().writer() == null ? 0 : f.applyAsDouble(s)).tags(tags)
                .description(help).register(registry));
    }

    private void gauge(String name, String help, Tags tags, ToDoubleFunction<Snapshot> f) {
        own.add(Gauge.builder(name, snapshot, s -> s.get().writer() == null ? Double.NaN : f.applyAsDouble(s)).tags(tags)
                .description(help).register(registry));
    }

    /** What kind of failure, and the Modbus exception code for exception responses ("" otherwise). */
    record FailureKey(String kind, String exceptionCode) {
    }

    /** The failure series: fixed, so the series count does not depend on what went wrong. */
    static final List<FailureKey> FAILURE_KEYS;

    static {
        List<FailureKey> keys = new ArrayList<>();
        for (String kind : List.of("timeout", "not-connected", "bad-frame")) {
            keys.add(new FailureKey(kind, ""));
        }
        for (String code : List.of("1", "2", "3", "4", "5", "6", "8", "10", "11", "other")) {
            keys.add(new FailureKey("exception-response", code));
        }
        FAILURE_KEYS = List.copyOf(keys);
    }

    /** Every reading the meters show, at one moment. */
    record Readings(Map<String, DeviceStatus> devices, WriterStatus writer, Map<FailureKey, Long> failures) {
    }

    /**
     * One {@link Readings} per scrape: a scrape asks hundreds of meters (nine per device) within
     * milliseconds, and each device's reading is built once for all of them, not once per meter.
     */
    final class Snapshot {
        private Readings value;
        private long at;

        synchronized Readings get() {
            long now = System.nanoTime();
            if (value == null || now - at > 200_000_000L) {
                value = read();
                at = now;
            }
            return value;
        }

        synchronized void invalidate() {
            value = null;
        }

        WriterStatus writer() {
            return get().writer();
        }

        private Readings read() {
            List<DeviceStatus> all = acquisition.devices();
            Map<String, DeviceStatus> byId = new LinkedHashMap<>(all.size() * 2);
            Map<FailureKey, Long> failed = new HashMap<>();
            for (DeviceStatus r : all) {
                byId.put(r.id(), r);
                for (DeviceStats.FailureCount f : r.counters().failureCounts()) {
                    FailureKey k = new FailureKey(f.kind(), f.exceptionCode() == 0 ? "" : Integer.toString(f.exceptionCode()));
                    boolean listed = FAILURE_KEYS.contains(k);
                    failed.merge(listed ? k : new FailureKey(k.kind(), k.kind().equals("exception-response") ? "other" : ""),
                            f.reads(), Long::sum);
                }
            }
            return new Readings(byId, storage.status(), failed);
        }
    }
}
