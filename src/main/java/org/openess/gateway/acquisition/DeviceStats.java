package org.openess.gateway.acquisition;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import org.openess.gateway.modbus.ModbusReadException;

/**
 * Counters and the health snapshot of one device. Written only by its poller's event loop,
 * read from any thread (the status API, metrics); counters only go up.
 */
public final class DeviceStats {
    private static final ModbusReadException.Kind[] KINDS = ModbusReadException.Kind.values();

    private final AtomicLong ticks = new AtomicLong();
    private final AtomicLong cyclesComplete = new AtomicLong();
    private final AtomicLong cyclesPartial = new AtomicLong();
    private final AtomicLong ticksMissed = new AtomicLong();
    private final AtomicLong readsOk = new AtomicLong();
    private final AtomicLong readsFailed = new AtomicLong();
    private final AtomicLong readsSkipped = new AtomicLong();
    private final AtomicLong busyRetries = new AtomicLong();
    private final AtomicLong rows = new AtomicLong();
    private final AtomicLong gapRows = new AtomicLong();
    private final AtomicLong qualityEvents = new AtomicLong();
    private final AtomicLong timesOffline = new AtomicLong();
    private final AtomicLongArray failedByKind = new AtomicLongArray(KINDS.length);
    private final ExceptionCodeCounts exceptionsByCode = new ExceptionCodeCounts();
    private final ExceptionCodeCounts failedByCode = new ExceptionCodeCounts();
    private volatile long lastTickMillis;
    private volatile long lastCycleMicros;
    private volatile String currentError;
    private volatile DeviceHealth health = DeviceHealth.connecting(0);

    void tick() {
        ticks.incrementAndGet();
    }

    void tickMissed(int gapRowsOfTick) {
        ticksMissed.incrementAndGet();
        gapRows.addAndGet(gapRowsOfTick);
    }

    void readOk() {
        readsOk.incrementAndGet();
    }

    /** A read ended without values (after its retry, if it had one); {@code exceptionCode} 0 when not an exception. */
    void readFailed(ModbusReadException.Kind kind, int exceptionCode) {
        readsFailed.incrementAndGet();
        failedByKind.incrementAndGet(kind.ordinal());
        if (kind == ModbusReadException.Kind.EXCEPTION_RESPONSE) {
            failedByCode.increment(exceptionCode);
        }
    }

    /** The device answered a request with exception {@code code} (retried or not). */
    void exceptionAnswer(int code) {
        exceptionsByCode.increment(code);
    }

    void readSkipped() {
        readsSkipped.incrementAndGet();
    }

    void busyRetry() {
        busyRetries.incrementAndGet();
    }

    void cycleFinished(boolean complete, long micros, long tick, int rowCount, long gapRowCount, int qualityCount, String error,
            DeviceHealth newHealth) {
        (complete ? cyclesComplete : cyclesPartial).incrementAndGet();
        lastCycleMicros = micros;
        lastTickMillis = tick;
        rows.addAndGet(rowCount);
        gapRows.addAndGet(gapRowCount);
        qualityEvents.addAndGet(qualityCount);
        currentError = error;
        if (newHealth.state() == DeviceState.OFFLINE && health.state() != DeviceState.OFFLINE) {
            timesOffline.incrementAndGet();
        }
        health = newHealth;
    }

    /** Polling starts now: connecting since {@code nowMillis}. */
    void pollingStarted(long nowMillis) {
        if (health.state() == DeviceState.CONNECTING) {
            health = DeviceHealth.connecting(nowMillis);
        }
    }

    /** A failure outside a cycle (SunSpec discovery): shown as the current error until the next cycle. */
    void error(String message) {
        currentError = message;
    }

    /** Only the connection flag changed (a tick without a cycle, or a connection state change). */
    void connected(boolean connected) {
        DeviceHealth h = health;
        if (h.connected() != connected) {
            health = new DeviceHealth(h.state(), h.sinceMillis(), h.lastSuccessfulReadMillis(), h.consecutiveFailedCycles(),
                    h.lastErrorKind(), h.lastExceptionCode(), h.lastError(), h.lastErrorRead(), h.lastErrorMillis(), connected);
        }
    }

    public DeviceHealth health() {
        return health;
    }

    public boolean connected() {
        return health.connected();
    }

    public long ticks() {
        return ticks.get();
    }

    public long cyclesComplete() {
        return cyclesComplete.get();
    }

    public long cyclesPartial() {
        return cyclesPartial.get();
    }

    public long ticksMissed() {
        return ticksMissed.get();
    }

    public long readsOk() {
        return readsOk.get();
    }

    /**
     * Reads that ended without values (sent, or found no connection; a busy read counts once, after
     * its retry); skipped reads not included.
     */
    public long readsFailed() {
        return readsFailed.get();
    }

    public long readsFailed(ModbusReadException.Kind kind) {
        return failedByKind.get(kind.ordinal());
    }

    /** Exception answers with this code (0..255), including 06 answers whose retry then succeeded. */
    public long exceptionResponses(int code) {
        return exceptionsByCode.get(code);
    }

    /** Failed reads of one cause: a kind label (as {@link DeviceHealth#kindLabel}) and, for exception responses, the code. */
    public record FailureCount(String kind, int exceptionCode, long reads) {
    }

    /**
     * Failed reads by kind, exception responses split by code (for metrics labelled by kind and
     * code); only causes that occurred. Sums to {@link #readsFailed()}.
     */
    public java.util.List<FailureCount> failureCounts() {
        java.util.List<FailureCount> out = new java.util.ArrayList<>();
        for (ModbusReadException.Kind k : KINDS) {
            if (k == ModbusReadException.Kind.EXCEPTION_RESPONSE) {
                failedByCode.forEach((code, n) -> out.add(new FailureCount(DeviceHealth.kindLabel(k), code, n)));
            } else if (failedByKind.get(k.ordinal()) > 0) {
                out.add(new FailureCount(DeviceHealth.kindLabel(k), 0, failedByKind.get(k.ordinal())));
            }
        }
        return out;
    }

    /** Reads not sent because the unit had not answered an earlier read of the same cycle. */
    public long readsSkipped() {
        return readsSkipped.get();
    }

    /** Reads sent a second time after a "server busy" (06) answer. */
    public long busyRetries() {
        return busyRetries.get();
    }

    public long rows() {
        return rows.get();
    }

    public long gapRows() {
        return gapRows.get();
    }

    public long qualityEvents() {
        return qualityEvents.get();
    }

    /** Offline spells since start: how many times the device went offline (from connecting, ok or degraded). */
    public long timesOffline() {
        return timesOffline.get();
    }

    /** The tick of the last finished cycle (epoch ms; 0: none yet). */
    public long lastTickMillis() {
        return lastTickMillis;
    }

    public long lastCycleMicros() {
        return lastCycleMicros;
    }

    /** The first failure of the last cycle; null when it read everything. */
    public String currentError() {
        return currentError;
    }
}
