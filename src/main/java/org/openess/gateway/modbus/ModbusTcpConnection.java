package org.openess.gateway.modbus;

import java.time.Duration;
import java.util.ArrayDeque;

import org.jboss.logging.Logger;
import org.openess.gateway.logging.BudgetedLog;
import org.openess.gateway.plan.ReadRequest;
import org.openess.gateway.retry.Backoff;

import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

/**
 * Entry point of the Modbus client stage: one persistent Modbus TCP connection to one endpoint
 * (host and port), non-blocking on its Vert.x context, shared by every unit id behind it (a
 * Modbus TCP→RTU gateway often accepts one connection only). Every method must be called on that
 * context; all state is confined to it, so nothing here locks.
 *
 * <p>Requests are serialised: one is on the wire at a time, the others wait in arrival order, so
 * the units behind a gateway take turns and a silent unit costs the others only its own timeouts.
 * The wait queue is bounded by its callers: each poller has at most one read outstanding, so it
 * holds at most one request per unit. A response is matched by transaction id to the request on
 * the wire; anything else (a late answer to a request that already timed out) is discarded,
 * never taken for the answer.
 *
 * <p>A connection that stopped answering without closing (half-open: a gateway rebooted, a NAT
 * forgot the flow) is reopened after {@code reopenAfterTimeouts} timeouts in a row across all units;
 * TCP keepalive ({@link TcpKeepAlive}) finds it too when it is idle (long poll intervals).
 *
 * <p>Every connect, the first and each reconnect, first takes one of the gateway's
 * {@link ConnectPermits} and holds it until the connection is ready for requests (after the
 * connect delay) or the attempt failed.
 */
public final class ModbusTcpConnection implements ModbusLink {
    private static final Logger LOG = ConnectionLog.LOG;

    private final Vertx vertx;
    private final Context context;
    private final NetClient client;
    private final String host;
    private final int port;
    /** host:port, built once: it names the connection in every error and log line. */
    private final String address;
    private final Backoff backoff;
    private final long connectDelayMillis;
    private final int reopenAfterTimeouts;
    private final ArrayDeque<PendingRead> waiting = new ArrayDeque<>();
    private ConnectPermits permits = ConnectPermits.UNLIMITED;
    private final ConnectionLog log = new ConnectionLog();
    /** The connect permit held from the start of a connect until the connection is ready or the attempt failed. */
    private ConnectPermits.Permit permit;
    /** The first connect attempt has ended: ready, failed, or lost before it was ready. */
    private boolean firstAttemptSettled;
    /** The request on the wire, or null. */
    private PendingRead inFlight;
    /** One timer armed for the in-flight deadline; re-armed lazily instead of set and cancelled per request. */
    private long deadlineTimer = -1;
    private long deadlineTimerAt;
    /** Bytes of a frame whose end has not arrived yet; null while the stream is in step. */
    private Buffer partial;
    /**
     * Where each response frame is copied to be parsed (one frame at a time, on this context):
     * one array per connection instead of one per response. An MBAP frame is at most 6 + 254 bytes.
     */
    private final byte[] frameBytes = new byte[6 + 254];

    private NetSocket socket;
    private boolean ready;
    private boolean connecting;
    private boolean closed;
    private long reconnectTimer = -1;
    private long connectDelayTimer = -1;
    /** Drives the backoff: connects failed, plus the loss that started them. */
    private int failedConnects;
    /** Connect attempts that failed since the last success, for the log. */
    private int failedAttempts;
    private int timeoutsInARow;
    private int nextTransactionId = 1;
    private String lastError = "not connected yet";
    private long connects;
    private long disconnects;
    private long staleResponses;

    /**
     * @param connectDelay wait after a connect before the first request (slow devices that drop
     *        requests sent right after the handshake); reads fail fast as not connected meanwhile
     * @param reopenAfterTimeouts timeouts in a row, across all units, after which the connection is
     *        presumed dead and reopened
     */
    public ModbusTcpConnection(Vertx vertx, Context context, NetClient client, String host, int port, Backoff backoff,
            Duration connectDelay, int reopenAfterTimeouts) {
        if (reopenAfterTimeouts < 1) {
            throw new IllegalArgumentException("reopenAfterTimeouts must be at least 1, got " + reopenAfterTimeouts);
        }
        this.vertx = vertx;
        this.context = context;
        this.client = client;
        this.host = host;
        this.port = port;
        this.address = host + ":" + port;
        this.backoff = backoff;
        this.connectDelayMillis = connectDelay.toMillis();
        this.reopenAfterTimeouts = reopenAfterTimeouts;
    }

    /**
     * Connects through the gateway's shared {@code permits} and logs connection problems through
     * {@code problems} (a budget shared by every connection) instead of one line each; call before
     * {@link #open()}.
     */
    public void share(ConnectPermits permits, BudgetedLog problems) {
        this.permits = permits;
        log.share(problems);
    }

    /** Opens the connection (and keeps reopening it after failures, with backoff). */
    @Override
    public void open() {
        closed = false;
        connect();
    }

    /** Connected and past the connect delay: reads go out. */
    @Override
    public boolean isConnected() {
        return socket != null && ready;
    }

    /**
     * Whether the first connect attempt has ended (ready for requests, failed, or lost before it
     * was ready); until then the devices behind it are still connecting, not offline.
     */
    @Override
    public boolean firstAttemptSettled() {
        return firstAttemptSettled;
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public String lastError() {
        return lastError;
    }

    @Override
    public long connects() {
        return connects;
    }

    @Override
    public long disconnects() {
        return disconnects;
    }

    /** Responses discarded because no request on the wire had their transaction id. */
    public long staleResponses() {
        return staleResponses;
    }

    @Override
    public Context context() {
        return context;
    }

    /** The TCP keepalive idle time of the open socket in seconds; -1 without one (for tests). */
    int keepAliveIdleSeconds() {
        return socket == null ? -1 : TcpKeepAlive.idleSeconds(socket);
    }

    /**
     * Reads one planned request from {@code unitId}; fails fast with NOT_CONNECTED while there is
     * no connection. The timeout runs from when the request goes on the wire, not from when it
     * joins the queue, so a unit is never timed out for waiting behind another.
     */
    @Override
    public Future<int[]> read(int unitId, ReadRequest read, long timeoutMillis) {
        if (!isConnected()) {
            return Future.failedFuture(new ModbusReadException(ModbusReadException.Kind.NOT_CONNECTED,
                    "not connected to " + address() + " (" + lastError + ")"));
        }
        PendingRead p = new PendingRead(read, unitId, timeoutMillis);
        waiting.addLast(p);
        sendNext();
        return p.promise.future();
    }

    @Override
    public void close() {
        closed = true;
        releasePermit();
        if (reconnectTimer >= 0) {
            vertx.cancelTimer(reconnectTimer);
            reconnectTimer = -1;
        }
        NetSocket s = socket;
        if (s != null) {
            dropSocket(s, ModbusReadException.Kind.NOT_CONNECTED, "connection closed by the gateway");
            s.close();
        }
    }

    private void sendNext() {
        if (inFlight != null || !isConnected()) {
            return;
        }
        PendingRead p = waiting.pollFirst();
        if (p == null) {
            return;
        }
        p.transactionId = nextTransactionId;
        nextTransactionId = (nextTransactionId + 1) & 0xFFFF;
        p.sent(System.nanoTime(), 0);
        inFlight = p;
        armDeadlineTimer(p.deadlineNanos);
        byte[] frame = new byte[ModbusPdus.READ_REQUEST_LENGTH];
        ModbusPdus.writeRequestFrame(p.read, p.transactionId, p.unitId, frame);
        socket.write(Buffer.buffer(Unpooled.wrappedBuffer(frame))); // wrapped, not copied
    }

    private void connect() {
        if (closed || connecting || socket != null) {
            return;
        }
        connecting = true;
        permits.acquire(context).onComplete(granted -> {
            if (granted.failed()) {
                connecting = false;
                connectFailed("connect to " + address() + " not attempted: " + granted.cause().getMessage(), "connect queue full");
                return;
            }
            permit = granted.result();
            if (closed) {
                connecting = false;
                releasePermit();
                return;
            }
            client.connect(port, host).onComplete(this::connected);
        });
    }

    private void connected(io.vertx.core.AsyncResult<NetSocket> ar) {
        connecting = false;
        if (ar.failed()) {
            releasePermit();
            String message = String.valueOf(ar.cause().getMessage());
            connectFailed("connect to " + address() + " failed: " + message,
                    message.contains("refused") ? "connects refused" : "connects failed");
            return;
        }
        NetSocket s = ar.result();
        if (closed) {
            s.close();
            return;
        }
        log.connected(address(), failedAttempts);
        failedAttempts = 0;
        TcpKeepAlive.tune(s);
        socket = s;
        partial = null;
        connects++;
        failedConnects = 0;
        timeoutsInARow = 0;
        s.handler(data -> onData(s, data));
        s.closeHandler(v -> onLost(s, "connection closed by " + address()));
        s.exceptionHandler(e -> onLost(s, "connection error: " + e.getMessage()));
        if (connectDelayMillis > 0) {
            lastError = "connected, waiting connect-delay " + connectDelayMillis + " ms";
            connectDelayTimer = vertx.setTimer(connectDelayMillis, id -> {
                connectDelayTimer = -1;
                if (socket == s) {
                    becomeReady();
                }
            });
        } else {
            becomeReady();
        }
    }

    private void connectFailed(String error, String cause) {
        if (failedAttempts == 0) {
            log.warn(cause, error + "; retrying with backoff");
        } else {
            LOG.debug(error);
        }
        lastError = error;
        failedAttempts++;
        firstAttemptSettled = true;
        scheduleReconnect();
    }

    private void releasePermit() {
        ConnectPermits.Permit p = permit;
        permit = null;
        if (p != null) {
            p.release();
        }
    }

    private void becomeReady() {
        releasePermit();
        firstAttemptSettled = true;
        ready = true;
        lastError = null;
        sendNext();
    }

    /** Splits the stream into MBAP frames; a header that cannot be right drops the connection. */
    private void onData(NetSocket s, Buffer data) {
        if (socket != s) {
            return;
        }
        Buffer buf = data;
        if (partial != null) {
            partial.appendBuffer(data);
            buf = partial;
            partial = null;
        }
        int pos = 0;
        int len = buf.length();
        while (len - pos >= ModbusPdus.MBAP_LENGTH) {
            int length = buf.getUnsignedShort(pos + 4);
            String problem = ModbusPdus.headerProblem(buf.getUnsignedShort(pos + 2), length);
            if (problem != null) {
                badStream(s, problem);
                return;
            }
            int end = pos + 6 + length;
            if (end > len) {
                break;
            }
            buf.getBytes(pos + ModbusPdus.MBAP_LENGTH, end, frameBytes, 0);
            onFrame(buf.getUnsignedShort(pos), buf.getUnsignedByte(pos + 6), frameBytes, end - pos - ModbusPdus.MBAP_LENGTH);
            if (socket != s) {
                return;
            }
            pos = end;
        }
        if (pos < len) {
            partial = buf.getBuffer(pos, len);
        }
    }

    /** One response frame: its PDU is the first {@code pduLength} bytes of {@code pdu}. */
    private void onFrame(int tid, int unit, byte[] pdu, int pduLength) {
        PendingRead p = inFlight;
        if (p == null || p.transactionId != tid) {
            // a late answer to a request that already timed out (or a device out of step): the
            // request it belonged to is gone, so it must not be taken for the current one's answer
            staleResponses++;
            LOG.debugf("%s: discarded a response with transaction id %d (waiting for %s)", address(), tid,
                    p == null ? "nothing" : Integer.toString(p.transactionId));
            return;
        }
        inFlight = null;
        timeoutsInARow = 0;
        try {
            p.promise.complete(ModbusPdus.parseResponse(p.read, unit, p.unitId, pdu, 0, pduLength));
        } catch (ModbusReadException e) {
            p.promise.fail(e);
        }
        sendNext();
    }

    /**
     * Makes sure the deadline timer fires no later than {@code deadline}. A timer that fires
     * early (its request was answered) finds nothing overdue and re-arms for the request then on
     * the wire, so each request still fails exactly at its own deadline, at a cost of about one
     * timer per poll cycle instead of a set and a cancel per request.
     */
    private void armDeadlineTimer(long deadline) {
        if (deadlineTimer >= 0 && deadlineTimerAt - deadline <= 0) {
            return;
        }
        if (deadlineTimer >= 0) {
            vertx.cancelTimer(deadlineTimer);
        }
        deadlineTimerAt = deadline;
        long delayMillis = Math.max(1, (deadline - System.nanoTime() + 999_999) / 1_000_000);
        deadlineTimer = vertx.setTimer(delayMillis, id -> onDeadlineTimer());
    }

    private void onDeadlineTimer() {
        deadlineTimer = -1;
        PendingRead p = inFlight;
        if (p == null) {
            return;
        }
        if (p.deadlineNanos - System.nanoTime() > 0) {
            armDeadlineTimer(p.deadlineNanos);
            return;
        }
        inFlight = null;
        NetSocket s = socket;
        if (partial != null && s != null) {
            // part of a frame came and the rest never will: the stream is out of step
            String problem = "truncated frame: " + partial.length() + " byte(s) of a frame arrived, the rest did not within "
                    + p.timeoutMillis + " ms";
            p.promise.fail(new ModbusReadException(ModbusReadException.Kind.BAD_FRAME, "bad frame: " + problem));
            badStream(s, problem);
            return;
        }
        p.promise.fail(new ModbusReadException(ModbusReadException.Kind.TIMEOUT,
                "no response to " + p.read + " from unit " + p.unitId + " within " + p.timeoutMillis + " ms"));
        if (++timeoutsInARow >= reopenAfterTimeouts && s != null) {
            String reason = "no answer to " + timeoutsInARow + " requests in a row; reopening the connection";
            log.warn("connections reopened after timeouts", address() + ": " + reason);
            dropSocket(s, ModbusReadException.Kind.NOT_CONNECTED, reason);
            s.close();
            return;
        }
        sendNext();
    }

    private void badStream(NetSocket s, String problem) {
        LOG.debugf("%s: bad Modbus frame: %s; reconnecting", address(), problem);
        dropSocket(s, ModbusReadException.Kind.BAD_FRAME, "bad frame: " + problem);
        s.close();
    }

    private void onLost(NetSocket s, String reason) {
        if (socket == s && !closed) {
            log.warn("connections lost", address() + ": " + reason + "; reconnecting with backoff");
        }
        dropSocket(s, ModbusReadException.Kind.NOT_CONNECTED, reason);
    }

    /**
     * Forgets {@code s} (when it is the current socket) and fails what waited on it: the request on
     * the wire with {@code kind}, the queued ones as not connected (they never went out).
     */
    private void dropSocket(NetSocket s, ModbusReadException.Kind kind, String reason) {
        if (socket != s) {
            return;
        }
        socket = null;
        ready = false;
        partial = null;
        disconnects++;
        releasePermit(); // lost during its connect-delay
        firstAttemptSettled = true;
        lastError = reason;
        if (connectDelayTimer >= 0) {
            vertx.cancelTimer(connectDelayTimer);
            connectDelayTimer = -1;
        }
        if (deadlineTimer >= 0) {
            vertx.cancelTimer(deadlineTimer);
            deadlineTimer = -1;
        }
        PendingRead p = inFlight;
        inFlight = null;
        if (p != null) {
            p.promise.fail(new ModbusReadException(kind, reason));
        }
        while ((p = waiting.pollFirst()) != null) {
            p.promise.fail(new ModbusReadException(ModbusReadException.Kind.NOT_CONNECTED, "not connected to " + address() + " (" + reason + ")"));
        }
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        if (closed || reconnectTimer >= 0) {
            return;
        }
        long delay = backoff.delayMillis(failedConnects++);
        reconnectTimer = vertx.setTimer(delay, id -> {
            reconnectTimer = -1;
            connect();
        });
    }
}
