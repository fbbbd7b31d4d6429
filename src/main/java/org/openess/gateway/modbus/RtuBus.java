package org.openess.gateway.modbus;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

import org.jboss.logging.Logger;
import org.openess.gateway.plan.ReadRequest;
import org.openess.gateway.retry.Backoff;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * One Modbus RTU bus: a serial line, or a TCP connection to a serial-to-Ethernet converter, with
 * every device (unit id) on it. An RTU bus carries one request at a time and a frame has no
 * transaction id, so requests wait in a bounded queue and go out strictly one after the other:
 * input is discarded before each request, the answer is the next frame from the unit asked with
 * the function asked and a right CRC ({@link RtuReceiver}), and the line is left silent for 3.5
 * character times (at least 1.75 ms, the spec's value above 19,200 baud) before the next request.
 *
 * <p>On a serial line the timeout counts from when the answer could have arrived: the time the
 * request and a full answer take on the wire at the baud rate is added to it (a 125-register
 * answer takes 290 ms at 9,600 baud). A frame with a wrong CRC fails the read at once (the device
 * will not send another); a partial frame whose rest does not come within
 * {@link #PARTIAL_FRAME_MILLIS} (or the deadline) fails it as truncated. Everything runs on one
 * Vert.x context; the counters are read from any thread.
 */
public final class RtuBus implements ModbusLink {
    private static final Logger LOG = Logger.getLogger(RtuBus.class);
    private static final long WARN_INTERVAL_NANOS = 60_000_000_000L;
    /** Modbus over serial line 2.5.1.1: above 19,200 baud the inter-frame delay is fixed at 1.75 ms. */
    static final long MIN_SILENCE_NANOS = 1_750_000;
    /** Gap after the last byte of an incomplete frame after which the frame is given up. */
    static final long PARTIAL_FRAME_MILLIS = 100;

    private final Vertx vertx;
    private final Context context;
    private final RtuPort port;
    private final Backoff backoff;
    private final int queueCapacity;
    private final int reopenAfterTimeouts;
    private final long silenceNanos;
    private final RtuReceiver receiver = new RtuReceiver();
    private final ArrayDeque<PendingRead> waiting = new ArrayDeque<>();
    /** Bus time per unit id, nanoseconds. */
    private final Map<Integer, long[]> unitNanos = new HashMap<>();

    private PendingRead inFlight;
    private long timer = -1;
    private long silenceTimer = -1;
    private long reconnectTimer = -1;
    /** No request goes out before this (nanoTime): the silence after the last frame. */
    private long quietUntil = System.nanoTime();
    private long lastByteNanos;
    private boolean open;
    private boolean opening;
    private boolean firstAttemptSettled;
    private boolean closed;
    private int failedOpens;
    private int failedAttempts;
    private int timeoutsInARow;
    private long lastWarnNanos;
    private boolean warned;
    private boolean troubleLogged;

    private volatile String lastError = "not connected yet";
    private volatile long connects;
    private volatile long disconnects;
    private volatile long requests;
    private volatile long timeouts;
    private volatile long crcErrors;
    private volatile long framesDiscarded;
    private volatile long busyNanos;

    /**
     * @param queueCapacity requests that may wait for the bus (each poller has at most one out, so
     *        twice the number of devices is plenty); beyond it a read fails at once
     * @param reopenAfterTimeouts timeouts in a row, across all units, after which a port that may
     *        be half-open ({@link RtuPort#reopenWhenSilent()}) is reopened
     */
    public RtuBus(Vertx vertx, Context context, RtuPort port, Backoff backoff, int queueCapacity, int reopenAfterTimeouts) {
        this.vertx = vertx;
        this.context = context;
        this.port = port;
        this.backoff = backoff;
        this.queueCapacity = queueCapacity;
        this.reopenAfterTimeouts = reopenAfterTimeouts;
        this.silenceNanos = silenceNanos(port.charNanos());
    }

    /** The inter-frame silence for characters of {@code charNanos}: 3.5 characters, at least 1.75 ms. */
    public static long silenceNanos(long charNanos) {
        return Math.max(MIN_SILENCE_NANOS, charNanos * 7 / 2);
    }

    @Override
    public void open() {
        closed = false;
        connect();
    }

    @Override
    public void close() {
        closed = true;
        cancel(reconnectTimer);
        reconnectTimer = -1;
        if (open) {
            lose("bus closed by the gateway", ModbusReadException.Kind.NOT_CONNECTED);
        }
        port.close();
    }

    @Override
    public Future<int[]> read(int unitId, ReadRequest read, long timeoutMillis) {
        if (unitId < 1 || unitId > 247) {
            return Future.failedFuture(new IllegalArgumentException(
                    "unit id " + unitId + " cannot be read on an RTU bus (0 is broadcast, which never answers; 248-255 are reserved)"));
        }
        if (!open) {
            return Future.failedFuture(new ModbusReadException(ModbusReadException.Kind.NOT_CONNECTED,
                    "not connected to " + address() + " (" + lastError + ")"));
        }
        if (waiting.size() >= queueCapacity) {
            return Future.failedFuture(new ModbusReadException(ModbusReadException.Kind.TIMEOUT,
                    "bus " + address() + " has " + waiting.size() + " requests waiting already"));
        }
        PendingRead p = new PendingRead(read, unitId, timeoutMillis);
        waiting.addLast(p);
        sendNext();
        return p.promise.future();
    }

    private void sendNext() {
        if (inFlight != null || !open || silenceTimer >= 0 || waiting.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        if (quietUntil - now > 0) {
            long millis = Math.max(1, (quietUntil - now + 999_999) / 1_000_000);
            silenceTimer = vertx.setTimer(millis, id -> {
                silenceTimer = -1;
                sendNext();
            });
            return;
        }
        PendingRead p = waiting.pollFirst();
        byte[] frame = RtuFrames.request(p.unitId, p.read);
        port.discardInput();
        receiver.expect(p.unitId, p.read.function().code());
        long wire = port.charNanos() * (frame.length + RtuFrames.responseLength(p.read));
        p.sent(now, wire);
        inFlight = p;
        requests++;
        port.write(frame);
        armTimer(p.deadlineNanos);
    }

    private void armTimer(long at) {
        cancel(timer);
        long millis = Math.max(1, (at - System.nanoTime() + 999_999) / 1_000_000);
        timer = vertx.setTimer(millis, id -> {
            timer = -1;
            onTimer();
        });
    }

    private void onTimer() {
        PendingRead p = inFlight;
        if (p == null) {
            return;
        }
        long now = System.nanoTime();
        boolean partial = receiver.partial();
        boolean partialExpired = partial && now - lastByteNanos >= PARTIAL_FRAME_MILLIS * 1_000_000;
        if (!partialExpired && p.deadlineNanos - now > 0) {
            armTimer(partial ? Math.min(p.deadlineNanos, lastByteNanos + PARTIAL_FRAME_MILLIS * 1_000_000) : p.deadlineNanos);
            return;
        }
        if (partial) {
            finish(p, now, new ModbusReadException(ModbusReadException.Kind.BAD_FRAME, "bad frame: truncated RTU frame: "
                    + receiver.partialLength() + " byte(s) arrived from unit " + p.unitId + ", the rest did not"), null);
            return;
        }
        timeouts++;
        finish(p, now, new ModbusReadException(ModbusReadException.Kind.TIMEOUT,
                "no response to " + p.read + " from unit " + p.unitId + " within " + p.timeoutMillis + " ms"), null);
        if (++timeoutsInARow >= reopenAfterTimeouts && port.reopenWhenSilent() && open) {
            String reason = "no answer to " + timeoutsInARow + " requests in a row; reopening " + address();
            warn(reason);
            lose(reason, ModbusReadException.Kind.NOT_CONNECTED);
            port.close();
        }
    }

    private void onData(byte[] data) {
        long now = System.nanoTime();
        lastByteNanos = now;
        PendingRead p = inFlight;
        RtuReceiver.Result r = receiver.feed(data, 0, data.length);
        syncCounters();
        if (p == null) {
            // stray bytes keep the line busy: the next request waits for silence after them
            quietUntil = now + silenceNanos;
            return;
        }
        switch (r) {
            case FRAME -> {
                timeoutsInARow = 0;
                int[] values = null;
                ModbusReadException failure = null;
                try {
                    values = RtuFrames.parseResponse(p.read, p.unitId, receiver.frame());
                } catch (ModbusReadException e) {
                    failure = e;
                }
                finish(p, now, failure, values);
            }
            case CRC_ERROR -> finish(p, now, new ModbusReadException(ModbusReadException.Kind.BAD_FRAME,
                    "bad frame: RTU answer from unit " + p.unitId + " with a wrong CRC (discarded)"), null);
            case NONE -> {
                if (receiver.partial()) {
                    armTimer(Math.min(p.deadlineNanos, now + PARTIAL_FRAME_MILLIS * 1_000_000));
                }
            }
        }
    }

    private void finish(PendingRead p, long now, ModbusReadException failure, int[] values) {
        inFlight = null;
        cancel(timer);
        timer = -1;
        receiver.idle();
        syncCounters();
        quietUntil = now + silenceNanos;
        long spent = now - p.sentNanos + silenceNanos;
        busyNanos += spent;
        unitNanos.computeIfAbsent(p.unitId, u -> new long[1])[0] += spent;
        if (failure == null) {
            p.promise.complete(values);
        } else {
            p.promise.fail(failure);
        }
        sendNext();
    }

    private void syncCounters() {
        crcErrors = receiver.crcErrors();
        framesDiscarded = receiver.framesDiscarded();
    }

    private void connect() {
        if (closed || opening || open) {
            return;
        }
        opening = true;
        port.open(new RtuPort.Listener() {
            @Override
            public void data(byte[] bytes) {
                onData(bytes);
            }

            @Override
            public void lost(String reason) {
                if (open && !closed) {
                    warn(address() + ": " + reason + "; reconnecting with backoff");
                }
                lose(reason, ModbusReadException.Kind.NOT_CONNECTED);
            }
        }).onComplete(ar -> {
            opening = false;
            firstAttemptSettled = true;
            if (ar.failed()) {
                String error = ar.cause().getMessage();
                if (failedAttempts == 0) {
                    warn(error + "; retrying with backoff");
                } else {
                    LOG.debug(error);
                }
                lastError = error;
                failedAttempts++;
                scheduleReconnect();
                return;
            }
            if (closed) {
                port.close();
                return;
            }
            if (troubleLogged) {
                LOG.infof("bus %s open again (after %d failed attempt(s))", address(), failedAttempts);
                troubleLogged = false;
            }
            failedAttempts = 0;
            failedOpens = 0;
            timeoutsInARow = 0;
            open = true;
            connects++;
            lastError = null;
            quietUntil = System.nanoTime() + silenceNanos;
            sendNext();
        });
    }

    /** The line is gone: fails the request on the wire with {@code kind}, the waiting ones as not connected. */
    private void lose(String reason, ModbusReadException.Kind kind) {
        if (!open) {
            return;
        }
        open = false;
        disconnects++;
        lastError = reason;
        cancel(timer);
        timer = -1;
        cancel(silenceTimer);
        silenceTimer = -1;
        receiver.idle();
        PendingRead p = inFlight;
        inFlight = null;
        if (p != null) {
            p.promise.fail(new ModbusReadException(kind, reason));
        }
        while ((p = waiting.pollFirst()) != null) {
            p.promise.fail(new ModbusReadException(ModbusReadException.Kind.NOT_CONNECTED,
                    "not connected to " + address() + " (" + reason + ")"));
        }
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        if (closed || reconnectTimer >= 0) {
            return;
        }
        reconnectTimer = vertx.setTimer(backoff.delayMillis(failedOpens++), id -> {
            reconnectTimer = -1;
            connect();
        });
    }

    private void cancel(long id) {
        if (id >= 0) {
            vertx.cancelTimer(id);
        }
    }

    private void warn(String message) {
        long now = System.nanoTime();
        if (!warned || now - lastWarnNanos >= WARN_INTERVAL_NANOS) {
            warned = true;
            lastWarnNanos = now;
            troubleLogged = true;
            LOG.warn(message + " (further problems of this bus within 60 s are logged at DEBUG)");
        } else {
            LOG.debug(message);
        }
    }

    @Override
    public boolean isConnected() {
        return open;
    }

    @Override
    public boolean firstAttemptSettled() {
        return firstAttemptSettled;
    }

    @Override
    public long connects() {
        return connects;
    }

    @Override
    public long disconnects() {
        return disconnects;
    }

    @Override
    public String address() {
        return port.address();
    }

    @Override
    public String lastError() {
        return lastError;
    }

    @Override
    public Context context() {
        return context;
    }

    @Override
    public long busNanos(int unitId) {
        long[] n = unitNanos.get(unitId);
        return n == null ? 0 : n[0];
    }

    /** The inter-frame silence of this bus. */
    public long silenceNanos() {
        return silenceNanos;
    }

    /** Requests sent so far. */
    public long requests() {
        return requests;
    }

    public long timeouts() {
        return timeouts;
    }

    /** Frames discarded for a wrong CRC. */
    public long crcErrors() {
        return crcErrors;
    }

    /** Frames discarded from another unit or with another function, unframeable bytes, truncated frames. */
    public long framesDiscarded() {
        return framesDiscarded;
    }

    /** Bus time used so far (requests on the wire until answered or timed out, plus the silences), nanoseconds. */
    public long busyNanos() {
        return busyNanos;
    }
}
