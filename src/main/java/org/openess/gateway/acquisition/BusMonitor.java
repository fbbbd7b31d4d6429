package org.openess.gateway.acquisition;

import java.util.List;

import org.jboss.logging.Logger;
import org.openess.gateway.modbus.RtuBus;
import org.openess.gateway.modbus.Transport;

/**
 * Measures an RTU bus once per poll interval on its context: how busy it was, and how much bus
 * time one round of all its devices takes (each device's latest cycle, summed). A bus whose round
 * does not fit in the poll interval cannot give every device every tick; that is logged at WARN
 * once, when it starts (and at INFO when it fits again), and shown in {@link BusStatus}.
 */
final class BusMonitor {
    private static final Logger LOG = Logger.getLogger(BusMonitor.class);

    private final String name;
    private final Transport transport;
    private final String serial;
    private final RtuBus bus;
    private final List<DevicePoller> pollers;
    private final List<String> ids;
    private final long periodMillis;
    private long lastBusy;
    private long lastSample = System.nanoTime();
    private boolean warned;
    private volatile BusStatus status;

    BusMonitor(DeviceDefinition first, RtuBus bus, List<DevicePoller> pollers) {
        this.name = first.address();
        this.transport = first.transport();
        this.serial = first.serial() == null ? null : first.serial().format();
        this.bus = bus;
        this.pollers = pollers;
        this.ids = pollers.stream().map(p -> p.device().id()).toList();
        this.periodMillis = pollers.stream().mapToLong(p -> p.device().pollInterval().toMillis()).min().orElse(1000);
        this.status = snapshot(0, 0, false);
    }

    long periodMillis() {
        return periodMillis;
    }

    void sample() {
        long now = System.nanoTime();
        long busy = bus.busyNanos();
        double utilisation = Math.min(1.0, (busy - lastBusy) / (double) Math.max(1, now - lastSample));
        lastBusy = busy;
        lastSample = now;
        long round = 0;
        for (DevicePoller p : pollers) {
            round += p.lastCycleBusNanos();
        }
        double roundMillis = round / 1e6;
        boolean over = roundMillis > periodMillis;
        if (over && !warned) {
            warned = true;
            LOG.warnf("bus %s (%d device(s)) needs %.0f ms of bus time per cycle, more than its %d ms poll interval: "
                    + "not every device can be read every cycle (fewer devices per bus, a higher baud rate, fewer registers, "
                    + "or a longer poll-interval)", name, pollers.size(), roundMillis, periodMillis);
        } else if (!over && warned) {
            warned = false;
            LOG.infof("bus %s fits its poll interval again: %.0f ms of bus time per %d ms cycle", name, roundMillis, periodMillis);
        }
        status = snapshot(roundMillis, utilisation, over);
    }

    private BusStatus snapshot(double roundMillis, double utilisation, boolean over) {
        return new BusStatus(name, transport.label(), serial, ids, bus.isConnected(), bus.lastError(), periodMillis, roundMillis,
                utilisation, over, bus.requests(), bus.timeouts(), bus.crcErrors(), bus.framesDiscarded(), bus.busyNanos());
    }

    BusStatus status() {
        return status;
    }
}
