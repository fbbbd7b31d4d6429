package org.openess.gateway.acquisition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.decode.GapEvent;
import org.openess.gateway.decode.RegisterSnapshot;
import org.openess.gateway.modbus.ModbusReadException;
import org.openess.gateway.modbus.ModbusLink;
import org.openess.gateway.plan.ReadRequest;
import org.openess.gateway.profile.Area;
import org.openess.gateway.profile.FunctionCode;
import org.openess.gateway.sunspec.SunSpecSession;

import io.vertx.core.Vertx;

/**
 * Polls one device (one unit id) on the event-loop context of its {@link EndpointPoller}, through
 * the connection it shares with the other units of the same host and port. Ticks are wall-clock
 * multiples of the poll interval and every row of a cycle carries its tick. The reads of a cycle
 * go out one after the other; a failed read is recorded and the cycle goes on, except:
 * <ul>
 * <li>a "server busy" answer (06) is retried once, after {@code busyRetryDelay};
 * <li>a unit that does not answer (timeout, no connection, gateway exception 0A/0B) twice in a
 * cycle, or once while it is already offline, has the rest of that cycle's reads skipped, so a
 * dead unit costs the shared link at most one or two of its own timeouts per cycle;
 * <li>on an RTU bus (the link is a {@link org.openess.gateway.modbus.RtuBus}) one such failure
 * skips the rest of the cycle, and a unit silent for cycles in a row is backed off
 * ({@link SilenceBackoff}): it costs the bus at most one timeout per cycle, and fewer cycles.
 * </ul>
 * A tick that arrives while the previous cycle is still running is not queued: it is counted as
 * missed and recorded as a gap for every table. So is a tick while the device is still
 * {@link DeviceState#CONNECTING connecting}: before its start offset, or before the first connect
 * attempt of its connection has ended (ready, or failed after its full timeout). A SunSpec device first reads its layout over the
 * same connection (again after every reconnect) and polls once it has one.
 */
public final class DevicePoller {
    /** SunSpec discovery reads anywhere in the holding registers (the device's answer decides). */
    private static final Area DISCOVERY_AREA = new Area("sunspec discovery", FunctionCode.HOLDING_REGISTERS, 0, 65536);

    /** Replaced only on the poller's context, when SunSpec discovery finds a new layout. */
    private volatile DeviceDefinition device;
    private final SunSpecSession sunspec;
    private final CycleSink sink;
    private final DeviceStats stats;
    private final TickSchedule schedule;
    private final long busyRetryDelayMillis;
    private final long requestGapMillis;
    private final long timeoutMillis;

    private Vertx vertx;
    private ModbusLink connection;
    /** Only on an RTU bus: a unit that stopped answering is polled at growing intervals. */
    private final SilenceBackoff silence;
    private long cycleBusNanosAtStart;
    private volatile long lastCycleBusNanos;
    private long timer = -1;
    private long scheduledTick;
    /** No cycle before this (epoch ms): the device's jittered start offset. */
    private long firstReadAtMillis;
    private boolean cycleRunning;
    private boolean stopped;

    // state of the running cycle (one at a time)
    /** The definition the running cycle started with decodes it (discovery may swap it meanwhile). */
    private DeviceDefinition cycleDevice;
    private long cycleTick;
    private long cycleStarted;
    private RegisterSnapshot snapshot;
    private ModbusReadException firstFailure;
    private ReadRequest firstFailureRead;
    private int silentFailures;
    private int answered;
    private boolean busyRetried;
    private String skipReason;

    public DevicePoller(DeviceDefinition device, CycleSink sink, DeviceStats stats, Duration busyRetryDelay) {
        this.device = device;
        this.sink = sink;
        this.stats = stats;
        this.schedule = new TickSchedule(device.pollInterval().toMillis());
        this.busyRetryDelayMillis = Math.max(1, busyRetryDelay.toMillis());
        this.requestGapMillis = device.requestGap().toMillis();
        this.timeoutMillis = device.timeout().toMillis();
        this.silence = device.transport().isRtu() ? new SilenceBackoff(device.pollInterval().toMillis()) : null;
        this.sunspec = device.isSunSpec() ? new SunSpecSession(device.sunspec().support(), device.id(), device.sunspec().limits())
                : null;
    }

    /** No cycle before {@code epochMillis} (its start offset); set before the endpoint is deployed. */
    void firstReadAt(long epochMillis) {
        this.firstReadAtMillis = epochMillis;
    }

    long firstReadAtMillis() {
        return firstReadAtMillis;
    }

    /**
     * Starts ticking; called on the endpoint's context once its connection exists. The device is
     * connecting until its first cycle, which comes no earlier than {@link #firstReadAt}.
     */
    void start(Vertx vertx, ModbusLink connection) {
        this.vertx = vertx;
        this.connection = connection;
        long now = System.currentTimeMillis();
        stats.pollingStarted(now);
        scheduleNext(now);
    }

    void stop() {
        stopped = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
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
        if (stopped) {
            return;
        }
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
            stats.tick();
            missTick(missed, "tick missed: the gateway was stalled");
        }
        tick = latest;
        stats.tick();
        stats.connected(connection.isConnected());
        if (cycleRunning) {
            missTick(tick, "tick missed: the previous cycle was still running");
        } else if (stats.health().state() == DeviceState.CONNECTING
                && (now < firstReadAtMillis || !connection.firstAttemptSettled())) {
            missTick(tick, "tick missed: connecting to " + connection.address());
        } else if (silence != null && silence.skips(tick)) {
            missTick(tick, SilenceBackoff.reason(device.unitId()));
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
        sunspec.discover((start, count) -> connection.read(device.unitId(),
                new ReadRequest(0, DISCOVERY_AREA, FunctionCode.HOLDING_REGISTERS, start, count), timeoutMillis), connects)
                .onComplete(ar -> {
                    cycleRunning = false;
                    if (stopped) {
                        return;
                    }
                    if (ar.failed()) {
                        stats.error("SunSpec discovery: " + ar.cause().getMessage());
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
        List<GapEvent> gaps = new ArrayList<>();
        int rows = 0;
        // one gap per table name: a SunSpec device has a table spec per model occurrence
        for (java.util.Map.Entry<String, Integer> t : device.profile().rowsPerCycleByTable().entrySet()) {
            gaps.add(new GapEvent(device.id(), tick, t.getKey(), t.getValue(), reason));
            rows += t.getValue();
        }
        stats.tickMissed(rows);
        sink.accept(new CycleOutput(device.id(), tick, List.of(), List.of(), gaps));
    }

    private void runCycle(long tick) {
        cycleRunning = true;
        cycleDevice = device;
        cycleTick = tick;
        cycleStarted = System.nanoTime();
        cycleBusNanosAtStart = connection.busNanos(device.unitId());
        snapshot = new RegisterSnapshot(cycleDevice.plan());
        firstFailure = null;
        firstFailureRead = null;
        silentFailures = 0;
        answered = 0;
        skipReason = null;
        busyRetried = false;
        readFrom(0);
    }

    private void readFrom(int index) {
        List<ReadRequest> reads = cycleDevice.plan().reads();
        if (index == reads.size()) {
            finishCycle();
            return;
        }
        if (skipReason != null) {
            for (int i = index; i < reads.size(); i++) {
                stats.readSkipped();
                snapshot.failed(i, skipReason);
            }
            finishCycle();
            return;
        }
        connection.read(device.unitId(), reads.get(index), timeoutMillis).onComplete(ar -> {
            if (stopped) {
                return;
            }
            if (ar.succeeded()) {
                stats.readOk();
                answered++;
                snapshot.succeeded(index, ar.result());
            } else if (onFailure(index, ar.cause())) {
                return; // retried
            }
            busyRetried = false;
            if (requestGapMillis > 0 && index + 1 < reads.size() && skipReason == null) {
                vertx.setTimer(requestGapMillis, id -> readFrom(index + 1));
            } else {
                readFrom(index + 1);
            }
        });
    }

    /** Records a failed read; returns true when the read was scheduled again instead. */
    private boolean onFailure(int index, Throwable cause) {
        ModbusReadException e = cause instanceof ModbusReadException m ? m
                : new ModbusReadException(ModbusReadException.Kind.BAD_FRAME, String.valueOf(cause));
        if (e.kind() == ModbusReadException.Kind.EXCEPTION_RESPONSE) {
            stats.exceptionAnswer(e.exceptionCode());
        }
        if (e.exceptionCode() == ModbusReadException.SERVER_BUSY && !busyRetried) {
            busyRetried = true;
            stats.busyRetry();
            vertx.setTimer(busyRetryDelayMillis, id -> {
                if (!stopped) {
                    readFrom(index);
                }
            });
            return true;
        }
        stats.readFailed(e.kind(), e.exceptionCode());
        if (firstFailure == null) {
            firstFailure = e;
            firstFailureRead = cycleDevice.plan().reads().get(index);
        }
        snapshot.failed(index, e.getMessage());
        if (e.unitSilent()) {
            silentFailures++;
            // on a shared RTU bus every further timeout of this unit is bus time the other units lose
            if (silentFailures >= 2 || silence != null || stats.health().state() == DeviceState.OFFLINE) {
                // without a connection every read would fail the same way at once: say that, not "skipped"
                skipReason = e.kind() == ModbusReadException.Kind.NOT_CONNECTED ? e.getMessage()
                        : "skipped: unit " + device.unitId() + " did not answer earlier in this cycle (" + e.getMessage() + ")";
            }
        } else {
            answered++;
        }
        return false;
    }

    private void finishCycle() {
        cycleRunning = false;
        RegisterSnapshot s = snapshot;
        snapshot = null;
        long micros = (System.nanoTime() - cycleStarted) / 1000;
        lastCycleBusNanos = connection.busNanos(cycleDevice.unitId()) - cycleBusNanosAtStart;
        if (silence != null) {
            silence.cycleFinished(cycleTick, answered == 0 && firstFailure != null && firstFailure.kind() == ModbusReadException.Kind.TIMEOUT);
        }
        int failed = s.failedCount();
        DeviceHealth before = stats.health();
        DeviceHealth after = nextHealth(before, failed);
        CycleOutput output = cycleDevice.decoder().decode(cycleDevice.id(), cycleTick, s);
        long gapRows = 0;
        for (GapEvent g : output.gaps()) {
            gapRows += g.missingRows();
        }
        stats.cycleFinished(failed == 0, micros, cycleTick, output.rows().size(), gapRows, output.quality().size(),
                failed == 0 ? null : firstFailure.getMessage(), after);
        if (before.state() != after.state() || after.state().bad()) {
            sink.stateChanged(cycleDevice, before, after);
        }
        sink.accept(output);
    }

    private DeviceHealth nextHealth(DeviceHealth h, int failed) {
        boolean connected = connection.isConnected();
        if (failed == 0) {
            return new DeviceHealth(DeviceState.OK, h.state() == DeviceState.OK ? h.sinceMillis() : cycleTick, cycleTick, 0,
                    h.lastErrorKind(), h.lastExceptionCode(), h.lastError(), h.lastErrorRead(), h.lastErrorMillis(), connected);
        }
        DeviceState state = answered > 0 ? DeviceState.DEGRADED : DeviceState.OFFLINE;
        long since = h.state() == state ? h.sinceMillis() : cycleTick;
        long lastOk = failed < cycleDevice.plan().reads().size() ? cycleTick : h.lastSuccessfulReadMillis();
        return new DeviceHealth(state, since, lastOk, h.consecutiveFailedCycles() + 1, firstFailure.kind(), firstFailure.exceptionCode(),
                firstFailure.getMessage(), firstFailureRead.toString(), cycleTick, connected);
    }

    public DeviceDefinition device() {
        return device;
    }

    /** Bus time the latest cycle took on a shared RTU bus, nanoseconds (0 on Modbus TCP). */
    public long lastCycleBusNanos() {
        return lastCycleBusNanos;
    }

    public DeviceStats stats() {
        return stats;
    }

    /** The SunSpec discovery state, or null for a device with a profile file. */
    public SunSpecSession.Status sunspec() {
        return sunspec == null ? null : sunspec.status();
    }

    /** What the operator side shows of this device now. */
    public DeviceStatus status() {
        return new DeviceStatus(device, stats.health(), stats, sunspec == null ? null : sunspec.status());
    }
}
