package org.openess.gateway.acquisition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.decode.GapEvent;
import org.openess.gateway.decode.RegisterSnapshot;
import org.openess.gateway.modbus.ModbusReadException;
import org.openess.gateway.modbus.ModbusTcpConnection;
import org.openess.gateway.plan.ReadRequest;
import org.openess.gateway.profile.TableSpec;

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
 * dead unit costs the shared link at most one or two of its own timeouts per cycle.
 * </ul>
 * A tick that arrives while the previous cycle is still running is not queued: it is counted as
 * missed and recorded as a gap for every table.
 */
public final class DevicePoller {
    private final DeviceDefinition device;
    private final CycleSink sink;
    private final DeviceStats stats;
    private final TickSchedule schedule;
    private final long busyRetryDelayMillis;
    private final long requestGapMillis;
    private final long timeoutMillis;
    private final DeviceHealthLog healthLog;

    private Vertx vertx;
    private ModbusTcpConnection connection;
    private long timer = -1;
    private long scheduledTick;
    private boolean cycleRunning;
    private boolean stopped;

    // state of the running cycle (one at a time)
    private long cycleTick;
    private long cycleStarted;
    private RegisterSnapshot snapshot;
    private ModbusReadException firstFailure;
    private int silentFailures;
    private int answered;
    private boolean busyRetried;
    private String skipReason;

    public DevicePoller(DeviceDefinition device, CycleSink sink, DeviceStats stats, Duration busyRetryDelay, Duration logSummaryInterval) {
        this.device = device;
        this.sink = sink;
        this.stats = stats;
        this.schedule = new TickSchedule(device.pollInterval().toMillis());
        this.busyRetryDelayMillis = Math.max(1, busyRetryDelay.toMillis());
        this.requestGapMillis = device.requestGap().toMillis();
        this.timeoutMillis = device.timeout().toMillis();
        this.healthLog = new DeviceHealthLog(device.id(), logSummaryInterval);
    }

    /** Starts ticking; called on the endpoint's context once its connection exists. */
    void start(Vertx vertx, ModbusTcpConnection connection) {
        this.vertx = vertx;
        this.connection = connection;
        scheduleNext(System.currentTimeMillis());
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
        } else {
            runCycle(tick);
        }
        scheduleNext(now);
    }

    private void missTick(long tick, String reason) {
        List<GapEvent> gaps = new ArrayList<>();
        int rows = 0;
        for (TableSpec t : device.profile().tables()) {
            gaps.add(new GapEvent(device.id(), tick, t.name(), t.rowsPerCycle(), reason));
            rows += t.rowsPerCycle();
        }
        stats.tickMissed(rows);
        sink.accept(new CycleOutput(device.id(), tick, List.of(), List.of(), gaps));
    }

    private void runCycle(long tick) {
        cycleRunning = true;
        cycleTick = tick;
        cycleStarted = System.nanoTime();
        snapshot = new RegisterSnapshot(device.plan());
        firstFailure = null;
        silentFailures = 0;
        answered = 0;
        skipReason = null;
        busyRetried = false;
        readFrom(0);
    }

    private void readFrom(int index) {
        List<ReadRequest> reads = device.plan().reads();
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
        }
        snapshot.failed(index, e.getMessage());
        if (e.unitSilent()) {
            silentFailures++;
            if (silentFailures >= 2 || stats.health().state() == DeviceState.OFFLINE) {
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
        int failed = s.failedCount();
        DeviceHealth before = stats.health();
        DeviceHealth after = nextHealth(before, failed);
        CycleOutput output = device.decoder().decode(device.id(), cycleTick, s);
        long gapRows = 0;
        for (GapEvent g : output.gaps()) {
            gapRows += g.missingRows();
        }
        stats.cycleFinished(failed == 0, micros, cycleTick, output.rows().size(), gapRows, output.quality().size(),
                failed == 0 ? null : firstFailure.getMessage(), after);
        if (before.state() != after.state() || after.state().bad()) {
            healthLog.record(before, after, System.currentTimeMillis());
        }
        sink.accept(output);
    }

    private DeviceHealth nextHealth(DeviceHealth h, int failed) {
        boolean connected = connection.isConnected();
        if (failed == 0) {
            return new DeviceHealth(DeviceState.OK, h.state() == DeviceState.OK ? h.sinceMillis() : cycleTick, cycleTick, 0,
                    h.lastErrorKind(), h.lastExceptionCode(), h.lastError(), h.lastErrorMillis(), connected);
        }
        DeviceState state = answered > 0 ? DeviceState.DEGRADED : DeviceState.OFFLINE;
        long since = h.state() == state ? h.sinceMillis() : cycleTick;
        long lastOk = failed < device.plan().reads().size() ? cycleTick : h.lastSuccessfulReadMillis();
        return new DeviceHealth(state, since, lastOk, h.consecutiveFailedCycles() + 1, firstFailure.kind(), firstFailure.exceptionCode(),
                firstFailure.getMessage(), cycleTick, connected);
    }

    public DeviceDefinition device() {
        return device;
    }

    public DeviceStats stats() {
        return stats;
    }
}
