package org.openess.gateway.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

import org.openess.gateway.acquisition.DeviceState;
import org.openess.gateway.acquisition.DeviceStats;
import org.openess.gateway.acquisition.DeviceStatus;

import io.prometheus.client.Collector;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.GaugeMetricFamily;

/**
 * The per-device series of {@code /q/metrics}, written straight from the devices' own counters at
 * scrape time. Nine series per device as Micrometer meters are nine meter objects, ids, tag lists
 * and Prometheus children per device (about 15 MiB of heap at 1,000 devices); this collector
 * holds nothing per device and builds one family per name for every device of one snapshot.
 */
final class DeviceSeries extends Collector {
    private static final List<String> DEVICE = List.of("device");
    private static final List<String> DEVICE_OUTCOME = List.of("device", "outcome");

    private final Supplier<Map<String, DeviceStatus>> devices;

    DeviceSeries(Supplier<Map<String, DeviceStatus>> devices) {
        this.devices = devices;
    }

    /** The help of ess_device_state: every state with its code, from the states themselves. */
    static String stateHelp() {
        return "State of the device: " + Arrays.stream(DeviceState.values())
                .sorted(java.util.Comparator.comparingInt(DeviceState::code))
                .map(s -> s.code() + " " + s.label()).collect(Collectors.joining(", "));
    }

    @Override
    public List<MetricFamilySamples> collect() {
        Map<String, DeviceStatus> all = devices.get();
        List<MetricFamilySamples> out = new ArrayList<>(8);
        CounterMetricFamily cycles = new CounterMetricFamily("ess_device_cycles",
                "Poll cycles by outcome: ok (all reads), partial (some failed), missed (tick skipped)", DEVICE_OUTCOME);
        for (DeviceStatus d : all.values()) {
            DeviceStats c = d.counters();
            cycles.addMetric(List.of(d.id(), "ok"), c.cyclesComplete());
            cycles.addMetric(List.of(d.id(), "partial"), c.cyclesPartial());
            cycles.addMetric(List.of(d.id(), "missed"), c.ticksMissed());
        }
        out.add(cycles);
        out.add(counter(all, "ess_device_reads_failed", "Modbus read requests that failed (by kind and code: ess_reads_failed_total)",
                DeviceStats::readsFailed));
        out.add(counter(all, "ess_device_values_out_of_range", "Decoded values that broke their range/type check (stored as NULL)",
                DeviceStats::qualityEvents));
        out.add(counter(all, "ess_device_gap_rows", "Rows recorded as missing in ess_gaps", DeviceStats::gapRows));
        out.add(gauge(all, "ess_device_cycle_duration_seconds", "Duration of the last poll cycle",
                d -> d.counters().lastCycleMicros() / 1e6));
        out.add(gauge(all, "ess_device_state", stateHelp(), d -> d.state().code()));
        out.add(gauge(all, "ess_device_last_tick_timestamp_seconds", "Tick of the last finished cycle",
                d -> d.counters().lastTickMillis() / 1000.0));
        return out;
    }

    private static MetricFamilySamples counter(Map<String, DeviceStatus> all, String name, String help,
            ToDoubleFunction<DeviceStats> value) {
        CounterMetricFamily f = new CounterMetricFamily(name, help, DEVICE);
        for (DeviceStatus d : all.values()) {
            f.addMetric(List.of(d.id()), value.applyAsDouble(d.counters()));
        }
        return f;
    }

    private static MetricFamilySamples gauge(Map<String, DeviceStatus> all, String name, String help,
            ToDoubleFunction<DeviceStatus> value) {
        GaugeMetricFamily f = new GaugeMetricFamily(name, help, DEVICE);
        for (DeviceStatus d : all.values()) {
            f.addMetric(List.of(d.id()), value.applyAsDouble(d));
        }
        return f;
    }
}
