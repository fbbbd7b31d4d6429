package org.openess.gateway.metrics;

import java.util.HashSet;
import java.util.Set;
import java.util.function.ToDoubleFunction;

import org.openess.gateway.acquisition.Acquisition;
import org.openess.gateway.acquisition.BusStatus;
import org.openess.gateway.acquisition.DeviceCatalog;
import org.openess.gateway.acquisition.DeviceDefinition;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The {@code ess_bus_*} meters of every RTU bus (label {@code bus}: the serial port path or the
 * converter's {@code host:port}), read from {@link Acquisition#buses()} at scrape time. Bound by
 * {@link GatewayMetrics} when the service starts; a gateway without RTU devices has none.
 */
@ApplicationScoped
public class BusMetrics {
    @Inject
    MeterRegistry registry;
    @Inject
    Acquisition acquisition;
    @Inject
    OwnMeters own;

    private final Set<String> bound = new HashSet<>();

    synchronized void bind(DeviceCatalog catalog) {
        for (DeviceDefinition d : catalog.devices()) {
            String bus = d.address();
            if (!d.transport().isRtu() || !bound.add(bus)) {
                continue;
            }
            Tags t = Tags.of("bus", bus);
            gauge(bus, "ess.bus.utilisation", "Share of the last poll interval the RTU bus was busy (0..1)", t, BusStatus::utilisation);
            gauge(bus, "ess.bus.time.per.cycle.seconds",
                    "Bus time one round of every device on the RTU bus takes (each device's latest cycle, summed)", t,
                    b -> b.busTimePerCycleMillis() / 1000.0);
            gauge(bus, "ess.bus.over.budget", "1 when the round of the RTU bus's devices does not fit in its poll interval", t,
                    b -> b.overBudget() ? 1 : 0);
            counter(bus, "ess.bus.crc.errors", "RTU frames discarded for a wrong CRC", t, BusStatus::crcErrors);
            counter(bus, "ess.bus.frames.discarded",
                    "RTU frames discarded for another reason: another unit or function, unframeable bytes, truncated frames", t,
                    BusStatus::framesDiscarded);
            counter(bus, "ess.bus.requests", "Requests sent on the RTU bus", t, BusStatus::requests);
        }
    }

    private BusStatus find(String bus) {
        for (BusStatus b : acquisition.buses()) {
            if (b.name().equals(bus)) {
                return b;
            }
        }
        return null;
    }

    private void gauge(String bus, String name, String help, Tags tags, ToDoubleFunction<BusStatus> f) {
        own.add(Gauge.builder(name, this, m -> {
            BusStatus b = m.find(bus);
            return b == null ? Double.NaN : f.applyAsDouble(b);
        }).tags(tags).description(help).register(registry));
    }

    private void counter(String bus, String name, String help, Tags tags, ToDoubleFunction<BusStatus> f) {
        own.add(FunctionCounter.builder(name, this, m -> {
            BusStatus b = m.find(bus);
            return b == null ? 0 : f.applyAsDouble(b);
        }).tags(tags).description(help).register(registry));
    }
}
