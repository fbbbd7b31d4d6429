package org.openess.gateway.acquisition;

import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.decode.GapEvent;
import org.openess.gateway.decode.RegisterSnapshot;
import org.openess.gateway.modbus.Backoff;
import org.openess.gateway.modbus.ModbusTcpConnection;
import org.openess.gateway.plan.ReadRequest;
import org.openess.gateway.profile.Area;
import org.openess.gateway.profile.FunctionCode;
import org.openess.gateway.sunspec.SunSpecSession;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;

/**
 * Polls one device on its own event-loop context. Ticks are wall-clock multiples of the poll
 * interval and every row of a cycle carries its tick. The reads of a cycle go out one after the
 * other on the device's single connection (most field devices serve one request at a time); a
 * failed read is recorded and the cycle goes on. A tick that arrives while the previous cycle is
 * still running is not queued: it is counted as missed and recorded as a gap for every table.
 */
public final class DevicePoller extends AbstractVerticle {
    private static final Logger LOG = Logger.getLogger(DevicePoller.class);
    /** SunSpec discovery reads anywhere in the holding registers (the device's answer decides). */
    private static final Area DISCOVERY_AREA = new Area("sunspec discovery", FunctionCode.HOLDING_REGISTERS, 0, 65536);

    /** Replaced only on this poller's context, when SunSpec discovery finds a new layout. */
    private volatile DeviceDefinition device;
    private final SunSpecSession sunspec;
    private final CycleSink sink;
    private final DeviceStats stats;
    private final Backoff backoff;
    private final TickSchedule schedule;

    private NetClient client;
    private ModbusTcpConnection connection;
    private long timer = -1;
    private long scheduledTick;
    private boolean cycleRunning;
    private boolean stopped;
    private String lastLoggedError;

    public DevicePoller(DeviceDefinition device, CycleSink sink, DeviceStats stats, Backoff backoff) {
        this.device = device;
        this.sink = sink;
        this.stats = stats;
        this.backoff = backoff;
        this.schedule = new TickSchedule(device.pollInterval().toMillis());
        this.sunspec = device.isSunSpec() ? new SunSpecSession(device.sunspec().support(), device.id(), device.sunspec().limits())
                : null;
    }

    @Override
    public void start(Promise<Void> started) {
        client = vertx.createNetClient(new NetClientOptions()
                .setConnectTimeout((int) Math.max(1000, device.timeout().toMillis() * 4))
                .setTcpNoDelay(true)
                .setTcpKeepAlive(true));
        connection = new ModbusTcpConnection(vertx, context, client, device.id(), device.host(), device.port(), device.unitId(),
                device.timeout(), backoff);
        connection.open();
        scheduleNext(System.currentTimeMillis());
        started.complete();
    }

    @Override
    public void stop(Promise<Void> stoppedPromise) {
        stopped = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        connection.close();
        client.close().onComplete(ar -> stoppedPromise.complete());
    }

    private void scheduleNext(long now) {
        if (stopped) {
            return;
        }
        scheduledTick = schedule.nextTickAfter(now);
        timer = vertx.setTimer(Math.max(1, scheduledTick - now), id -> onTimer());
    }

    private void onTimer() {
        timer = -1;
        long now = System.currentTimeMillis();
        if (now < scheduledTick) {
            // the timer fired early (clock stepped back): wait for the real tick
            timer = vertx.setTimer(Math.max(1, scheduledTick - now), id -> onTimer());
            return;
        }
        long tick = scheduledTick;
        long latest = schedule.tickAtOrBefore(now);
        // the event loop or the machine stalled past whole ticks: those ticks are lost, say so
        for (long missed = tick; missed < latest; missed += schedule.periodMillis()) {
            stats.ticks.incrementAndGet();
            missTick(missed, "tick missed: the gateway was stalled");
        }
        tick = latest;
        stats.ticks.incrementAndGet();
        stats.connected = connection.isConnected();
        if (cycleRunning) {
            missTick(tick, "tick missed: the previous cycle was still running");
        } else if (sunspec != null && !sunspec.ready(connection.connects())) {
            if (sunspec.due(connection.connects(), connection.isConnected(), now)) {
                discover(tick);
            } else {
                missTick(tick, "tick missed: SunSpec layout not read on this connection (" + sunspec.status().state() + ")");
            }
        } else {
            runCycle(tick);
        }
        scheduleNext(now);
    }

    /**
     * Reads the SunSpec chain over the device's connection, swaps in the layout when it changed
     * (telling the sink about the tables first), then polls this tick if there is still time.
     */
    private void discover(long tick) {
        cycleRunning = true;
        long connects = connection.connects();
        sunspec.discover((start, count) -> connection.read(new ReadRequest(0, DISCOVERY_AREA, FunctionCode.HOLDING_REGISTERS, start,
                count)), connects).onComplete(ar -> {
                    cycleRunning = false;
                    if (stopped) {
                        return;
                    }
                    if (ar.failed()) {
                        stats.lastError = "SunSpec discovery: " + ar.cause().getMessage();
                        missTick(tick, "tick missed: SunSpec discovery failed: " + ar.cause().getMessage());
                        return;
                    }
                    if (ar.result() != null) {
                        sink.tablesDiscovered(device.id(), ar.result().layouts().values());
                        device = device.withProfile(ar.result().profile(), ar.result().decoder());
                    }
                    if (System.currentTimeMillis() < tick + schedule.periodMillis()) {
                        runCycle(tick);
                    } else {
                        missTick(tick, "tick missed: SunSpec discovery took the whole period");
                    }
                });
    }

    private void missTick(long tick, String reason) {
        stats.ticksMissed.incrementAndGet();
        List<GapEvent> gaps = new ArrayList<>();
        // one gap per table name: a SunSpec device has a table spec per model occurrence
        device.profile().rowsPerCycleByTable().forEach((table, rows) -> {
            gaps.add(new GapEvent(device.id(), tick, table, rows, reason));
            stats.gapRows.addAndGet(rows);
        });
        sink.accept(new CycleOutput(device.id(), tick, List.of(), List.of(), gaps));
    }

    private void runCycle(long tick) {
        cycleRunning = true;
        long started = System.nanoTime();
        DeviceDefinition d = device; // the definition a cycle started with decodes it
        RegisterSnapshot snapshot = new RegisterSnapshot(d.plan());
        readFrom(d, 0, tick, snapshot, started);
    }

    private void readFrom(DeviceDefinition d, int index, long tick, RegisterSnapshot snapshot, long started) {
        List<ReadRequest> reads = d.plan().reads();
        if (index == reads.size()) {
            finishCycle(d, tick, snapshot, started);
            return;
        }
        ReadRequest read = reads.get(index);
        connection.read(read).onComplete(ar -> {
            if (ar.succeeded()) {
                stats.readsOk.incrementAndGet();
                snapshot.succeeded(index, ar.result());
            } else {
                stats.readsFailed.incrementAndGet();
                snapshot.failed(index, ar.cause().getMessage());
            }
            readFrom(d, index + 1, tick, snapshot, started);
        });
    }

    private void finishCycle(DeviceDefinition d, long tick, RegisterSnapshot snapshot, long started) {
        cycleRunning = false;
        stats.lastCycleMicros = (System.nanoTime() - started) / 1000;
        stats.lastTickMillis = tick;
        int failed = snapshot.failedCount();
        if (failed == 0) {
            stats.cyclesComplete.incrementAndGet();
            stats.lastError = null;
            lastLoggedError = null;
        } else {
            stats.cyclesPartial.incrementAndGet();
            String error = firstFailure(snapshot);
            stats.lastError = error;
            if (!error.equals(lastLoggedError)) {
                // log a failure once when it starts, not once a second while it lasts
                LOG.warnf("device %s: %d of %d reads failed: %s", device.id(), failed, snapshot.size(), error);
                lastLoggedError = error;
            }
        }
        CycleOutput output = d.decoder().decode(d.id(), tick, snapshot);
        stats.rows.addAndGet(output.rows().size());
        output.gaps().forEach(g -> stats.gapRows.addAndGet(g.missingRows()));
        stats.qualityEvents.addAndGet(output.quality().size());
        sink.accept(output);
    }

    private static String firstFailure(RegisterSnapshot snapshot) {
        for (int i = 0; i < snapshot.size(); i++) {
            if (!snapshot.ok(i)) {
                return snapshot.failure(i);
            }
        }
        return "";
    }

    public DeviceDefinition device() {
        return device;
    }

    public DeviceStats stats() {
        return stats;
    }

    /** The SunSpec discovery state, or null for a device with a profile file. */
    public SunSpecSession.Status sunspec() {
        return sunspec == null ? null : sunspec.status();
    }
}
