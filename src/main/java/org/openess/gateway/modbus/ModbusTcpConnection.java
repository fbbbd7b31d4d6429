package org.openess.gateway.modbus;

import org.openess.gateway.retry.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;
import org.openess.gateway.plan.ReadRequest;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;

/**
 * Entry point of the Modbus client stage: one persistent Modbus TCP connection to one device,
 * non-blocking on its Vert.x context. Every method must be called on that context; all state is
 * confined to it, so nothing here locks. Requests may be pipelined; responses are matched by
 * transaction id and anything else on the wire is reported, never guessed at.
 */
public final class ModbusTcpConnection {
    private static final Logger LOG = Logger.getLogger(ModbusTcpConnection.class);
    /** After this many timeouts in a row the connection is presumed wedged and reopened. */
    private static final int TIMEOUTS_BEFORE_RECONNECT = 3;

    private final Vertx vertx;
    private final Context context;
    private final NetClient client;
    private final String name;
    private final String host;
    private final int port;
    private final int unitId;
    private final long timeoutMillis;
    private final Backoff backoff;
    private final Map<Integer, Pending> pending = new HashMap<>();
    /** One timer per connection, armed for the earliest pending deadline (not one per request). */
    private long deadlineTimer = -1;
    private long deadlineTimerAt;

    private NetSocket socket;
    private boolean connecting;
    private boolean closed;
    private long reconnectTimer = -1;
    private int failedConnects;
    private int consecutiveTimeouts;
    private int nextTransactionId = 1;
    private String lastError = "not connected yet";
    private long connects;
    private long disconnects;

    private record Pending(ReadRequest read, Promise<int[]> promise, long deadlineNanos) {
    }

    public ModbusTcpConnection(Vertx vertx, Context context, NetClient client, String name, String host, int port, int unitId,
            Duration timeout, Backoff backoff) {
        this.vertx = vertx;
        this.context = context;
        this.client = client;
        this.name = name;
        this.host = host;
        this.port = port;
        this.unitId = unitId;
        this.timeoutMillis = timeout.toMillis();
        this.backoff = backoff;
    }

    /** Opens the connection (and keeps reopening it after failures, with backoff). */
    public void open() {
        closed = false;
        connect();
    }

    public boolean isConnected() {
        return socket != null;
    }

    public String lastError() {
        return lastError;
    }

    public long connects() {
        return connects;
    }

    public long disconnects() {
        return disconnects;
    }

    /** Reads one planned request; fails fast with NOT_CONNECTED while there is no connection. */
    public Future<int[]> read(ReadRequest read) {
        if (socket == null) {
            return Future.failedFuture(new ModbusReadException(ModbusReadException.Kind.NOT_CONNECTED,
                    "not connected to " + host + ":" + port + " (" + lastError + ")"));
        }
        int tid = nextTransactionId;
        nextTransactionId = (nextTransactionId + 1) & 0xFFFF;
        Promise<int[]> promise = Promise.promise();
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        pending.put(tid, new Pending(read, promise, deadline));
        armDeadlineTimer(deadline);
        socket.write(Buffer.buffer(ModbusPdus.requestFrame(read, tid, unitId)));
        return promise.future();
    }

    public void close() {
        closed = true;
        if (reconnectTimer >= 0) {
            vertx.cancelTimer(reconnectTimer);
            reconnectTimer = -1;
        }
        if (socket != null) {
            socket.close();
        }
        failAll(ModbusReadException.Kind.NOT_CONNECTED, "connection closed by the gateway");
    }

    private void connect() {
        if (closed || connecting || socket != null) {
            return;
        }
        connecting = true;
        client.connect(port, host).onComplete(ar -> {
            connecting = false;
            if (ar.failed()) {
                lastError = "connect to " + host + ":" + port + " failed: " + ar.cause().getMessage();
                scheduleReconnect();
                return;
            }
            NetSocket s = ar.result();
            if (closed) {
                s.close();
                return;
            }
            socket = s;
            connects++;
            failedConnects = 0;
            consecutiveTimeouts = 0;
            lastError = null;
            LOG.debugf("%s: connected to %s:%d", name, host, port);
            s.handler(framer(s));
            s.closeHandler(v -> onClosed(s, ModbusReadException.Kind.NOT_CONNECTED, "connection closed by " + host + ":" + port));
            s.exceptionHandler(e -> onClosed(s, ModbusReadException.Kind.NOT_CONNECTED, "connection error: " + e.getMessage()));
        });
    }

    private RecordParser framer(NetSocket s) {
        RecordParser parser = RecordParser.newFixed(ModbusPdus.MBAP_LENGTH);
        int[] header = new int[3]; // transaction id, unit id, remaining length; -1 while reading a header
        header[2] = -1;
        parser.handler(buffer -> {
            if (socket != s) {
                return;
            }
            if (header[2] < 0) {
                int tid = buffer.getUnsignedShort(0);
                int protocol = buffer.getUnsignedShort(2);
                int length = buffer.getUnsignedShort(4);
                if (protocol != 0) {
                    badFrame(s, "MBAP protocol id " + protocol + " (must be 0)");
                    return;
                }
                if (length < 3 || length > 254) {
                    badFrame(s, "MBAP length " + length + " outside 3..254");
                    return;
                }
                header[0] = tid;
                header[1] = buffer.getUnsignedByte(6);
                header[2] = length - 1;
                parser.fixedSizeMode(length - 1);
            } else {
                byte[] pdu = buffer.getBytes();
                int tid = header[0];
                int unit = header[1];
                header[2] = -1;
                parser.fixedSizeMode(ModbusPdus.MBAP_LENGTH);
                onFrame(tid, unit, pdu);
            }
        });
        return parser;
    }

    private void onFrame(int tid, int unit, byte[] pdu) {
        Pending p = pending.remove(tid);
        if (p == null) {
            // a late answer to a request that already timed out: its slot is gone, drop it
            LOG.debugf("%s: dropped response with unknown transaction id %d", name, tid);
            return;
        }
        consecutiveTimeouts = 0;
        if (unit != unitId) {
            p.promise.fail(new ModbusReadException(ModbusReadException.Kind.BAD_FRAME,
                    "response from unit id " + unit + ", request was to " + unitId));
            return;
        }
        try {
            p.promise.complete(ModbusPdus.parseResponse(p.read, pdu));
        } catch (ModbusReadException e) {
            p.promise.fail(e);
        }
    }

    /**
     * Makes sure the deadline timer fires no later than {@code deadline}. A timer that fires
     * early (its request was answered) finds nothing overdue and re-arms for the next deadline,
     * so each request still fails exactly at its own deadline, at a cost of about one timer per
     * poll cycle instead of a set and a cancel per request.
     */
    private void armDeadlineTimer(long deadline) {
        if (deadlineTimer >= 0 && deadlineTimerAt <= deadline) {
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
        if (pending.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        long next = Long.MAX_VALUE;
        List<Integer> overdue = null;
        for (Map.Entry<Integer, Pending> e : pending.entrySet()) {
            long d = e.getValue().deadlineNanos();
            if (d - now <= 0) {
                if (overdue == null) {
                    overdue = new ArrayList<>(2);
                }
                overdue.add(e.getKey());
            } else if (next == Long.MAX_VALUE || d - next < 0) {
                next = d;
            }
        }
        if (overdue != null) {
            overdue.sort(Comparator.comparingLong(tid -> pending.get(tid).deadlineNanos()));
            for (int tid : overdue) {
                onTimeout(tid);
            }
        }
        if (next != Long.MAX_VALUE && !pending.isEmpty()) {
            armDeadlineTimer(next);
        }
    }

    private void onTimeout(int tid) {
        Pending p = pending.remove(tid);
        if (p == null) {
            return;
        }
        p.promise.fail(new ModbusReadException(ModbusReadException.Kind.TIMEOUT,
                "no response to " + p.read + " within " + timeoutMillis + " ms"));
        if (++consecutiveTimeouts >= TIMEOUTS_BEFORE_RECONNECT && socket != null) {
            NetSocket s = socket;
            onClosed(s, ModbusReadException.Kind.NOT_CONNECTED, consecutiveTimeouts + " timeouts in a row; reconnecting");
            s.close();
        }
    }

    private void badFrame(NetSocket s, String problem) {
        LOG.warnf("%s: bad Modbus frame from %s:%d: %s; reconnecting", name, host, port, problem);
        onClosed(s, ModbusReadException.Kind.BAD_FRAME, "bad frame: " + problem);
        s.close();
    }

    private void onClosed(NetSocket s, ModbusReadException.Kind kind, String reason) {
        if (socket != s) {
            return;
        }
        socket = null;
        disconnects++;
        lastError = reason;
        failAll(kind, reason);
        scheduleReconnect();
    }

    private void failAll(ModbusReadException.Kind kind, String reason) {
        if (pending.isEmpty()) {
            return;
        }
        Map<Integer, Pending> copy = new HashMap<>(pending);
        pending.clear();
        if (deadlineTimer >= 0) {
            vertx.cancelTimer(deadlineTimer);
            deadlineTimer = -1;
        }
        for (Pending p : copy.values()) {
            p.promise.fail(new ModbusReadException(kind, reason));
        }
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

    public Context context() {
        return context;
    }
}
