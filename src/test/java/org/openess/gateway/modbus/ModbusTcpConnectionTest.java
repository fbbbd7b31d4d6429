package org.openess.gateway.modbus;

import org.openess.gateway.retry.Backoff;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openess.gateway.plan.ReadRequest;
import org.openess.gateway.profile.Area;
import org.openess.gateway.profile.FunctionCode;
import org.openess.gateway.testsupport.FreePorts;
import org.openess.gateway.testsupport.UnitTest;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

/**
 * The client against scripted devices over real loopback TCP: every kind of wrong answer is
 * reported as what it is, and the connection recovers.
 */
@UnitTest
class ModbusTcpConnectionTest {
    static final Area AREA = new Area("A", FunctionCode.HOLDING_REGISTERS, 0, 100);
    static final ReadRequest READ = new ReadRequest(0, AREA, FunctionCode.HOLDING_REGISTERS, 10, 3);

    Vertx vertx;
    NetClient client;
    Context context;
    ModbusTcpConnection connection;
    NetServer server;
    int port;
    long timeoutMillis;
    final AtomicInteger connections = new AtomicInteger();

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        client = vertx.createNetClient();
        context = vertx.getOrCreateContext();
        port = FreePorts.one();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (connection != null) {
            onContext(() -> {
                connection.close();
                return null;
            });
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** A device that answers each request frame with {@code answer(socket, frame)} (null: stay silent). */
    void device(BiFunction<NetSocket, Buffer, Buffer> answer) throws Exception {
        server = vertx.createNetServer().connectHandler(socket -> {
            connections.incrementAndGet();
            socket.handler(frame -> {
                Buffer reply = answer.apply(socket, frame);
                if (reply != null) {
                    socket.write(reply);
                }
            });
        });
        server.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    void connect(Duration timeout) throws Exception {
        timeoutMillis = timeout.toMillis();
        onContext(() -> {
            connection = new ModbusTcpConnection(vertx, context, client, "127.0.0.1", port,
                    new Backoff(Duration.ofMillis(50), Duration.ofMillis(200)), Duration.ZERO, 3);
            connection.open();
            return null;
        });
        waitUntil(() -> onContext(() -> connection.isConnected()));
    }

    int[] read() throws Exception {
        return ContextReads.read(context, connection, 1, READ, timeoutMillis).get(10, TimeUnit.SECONDS);
    }

    ModbusReadException readFails() throws Exception {
        try {
            read();
        } catch (ExecutionException e) {
            return (ModbusReadException) e.getCause();
        }
        throw new AssertionError("the read succeeded");
    }

    static Buffer registers(Buffer request, int... values) {
        Buffer b = Buffer.buffer().appendUnsignedShort(request.getUnsignedShort(0)).appendUnsignedShort(0)
                .appendUnsignedShort(3 + 2 * values.length).appendByte(request.getByte(6)).appendByte((byte) 3)
                .appendByte((byte) (2 * values.length));
        for (int v : values) {
            b.appendUnsignedShort(v);
        }
        return b;
    }

    @Test
    void readsRegistersAndChecksTheRequestFrame() throws Exception {
        Buffer[] seen = new Buffer[1];
        device((s, req) -> {
            seen[0] = req;
            return registers(req, 1, 0x8000, 0xFFFF);
        });
        connect(Duration.ofSeconds(1));
        assertArrayEquals(new int[] { 1, 0x8000, 0xFFFF }, read());
        // a half-open connection that is idle is found by TCP keepalive within ~1 min, not the OS's 2 h
        assertEquals(30, (int) onContext(() -> connection.keepAliveIdleSeconds()));
        // MBAP: tid, protocol 0, length 6, unit 1; PDU: fc 3, start 10, count 3
        assertEquals(12, seen[0].length());
        assertEquals(0, seen[0].getUnsignedShort(2));
        assertEquals(6, seen[0].getUnsignedShort(4));
        assertEquals(1, seen[0].getUnsignedByte(6));
        assertEquals(3, seen[0].getUnsignedByte(7));
        assertEquals(10, seen[0].getUnsignedShort(8));
        assertEquals(3, seen[0].getUnsignedShort(10));
    }

    @Test
    void aResponseSplitIntoSingleBytesIsReassembled() throws Exception {
        device((s, req) -> {
            Buffer whole = registers(req, 7, 8, 9);
            for (int i = 0; i < whole.length(); i++) {
                Buffer one = whole.getBuffer(i, i + 1);
                vertx.setTimer(1 + i, id -> s.write(one));
            }
            return null;
        });
        connect(Duration.ofSeconds(2));
        assertArrayEquals(new int[] { 7, 8, 9 }, read());
    }

    @Test
    void anExceptionResponseIsReportedAndTheConnectionStays() throws Exception {
        AtomicInteger n = new AtomicInteger();
        device((s, req) -> n.getAndIncrement() == 0
                ? Buffer.buffer().appendUnsignedShort(req.getUnsignedShort(0)).appendUnsignedShort(0).appendUnsignedShort(3)
                        .appendByte((byte) 1).appendByte((byte) 0x83).appendByte((byte) 2)
                : registers(req, 4, 5, 6));
        connect(Duration.ofSeconds(1));
        ModbusReadException e = readFails();
        assertEquals(ModbusReadException.Kind.EXCEPTION_RESPONSE, e.kind());
        assertEquals("device answered exception 2 (illegal data address)", e.getMessage());
        assertArrayEquals(new int[] { 4, 5, 6 }, read());
        assertEquals(1, connections.get());
    }

    @Test
    void aResponseWithAnotherTransactionIdIsNotTakenForTheAnswer() throws Exception {
        device((s, req) -> {
            Buffer reply = registers(req, 1, 2, 3);
            reply.setUnsignedShort(0, (req.getUnsignedShort(0) + 7) & 0xFFFF);
            return reply;
        });
        connect(Duration.ofMillis(300));
        ModbusReadException e = readFails();
        assertEquals(ModbusReadException.Kind.TIMEOUT, e.kind());
        assertEquals("no response to fc3 10+3 from unit 1 within 300 ms", e.getMessage());
    }

    @Test
    void aWrongByteCountIsABadFrame() throws Exception {
        device((s, req) -> registers(req, 1, 2));
        connect(Duration.ofSeconds(1));
        ModbusReadException e = readFails();
        assertEquals(ModbusReadException.Kind.BAD_FRAME, e.kind());
        assertEquals("response byte count 4 in a PDU of 6 bytes; fc3 10+3 needs 6", e.getMessage());
    }

    @Test
    void aResponseFromAnotherUnitIsRefused() throws Exception {
        device((s, req) -> {
            Buffer reply = registers(req, 1, 2, 3);
            reply.setByte(6, (byte) 9);
            return reply;
        });
        connect(Duration.ofSeconds(1));
        assertEquals("response from unit id 9, request was to 1", readFails().getMessage());
    }

    @Test
    void aBrokenHeaderDropsTheConnectionWhichThenReconnects() throws Exception {
        AtomicInteger n = new AtomicInteger();
        device((s, req) -> {
            Buffer reply = registers(req, 1, 2, 3);
            if (n.getAndIncrement() == 0) {
                reply.setUnsignedShort(2, 0x1234); // protocol id must be 0
            }
            return reply;
        });
        connect(Duration.ofSeconds(1));
        ModbusReadException e = readFails();
        assertEquals(ModbusReadException.Kind.BAD_FRAME, e.kind());
        assertEquals("bad frame: MBAP protocol id 4660 (must be 0)", e.getMessage());
        waitUntil(() -> onContext(() -> connection.isConnected()) && connections.get() == 2);
        assertArrayEquals(new int[] { 1, 2, 3 }, read());
    }

    @Test
    void aRefusedConnectionFailsFastAndIsRetriedUntilTheDeviceAppears() throws Exception {
        timeoutMillis = 1000;
        onContext(() -> {
            connection = new ModbusTcpConnection(vertx, context, client, "127.0.0.1", port,
                    new Backoff(Duration.ofMillis(50), Duration.ofMillis(200)), Duration.ZERO, 3);
            connection.open();
            return null;
        });
        Thread.sleep(300);
        ModbusReadException e = readFails();
        assertEquals(ModbusReadException.Kind.NOT_CONNECTED, e.kind());
        assertTrue(e.getMessage().startsWith("not connected to 127.0.0.1:" + port + " (connect to 127.0.0.1:" + port + " failed"),
                e.getMessage());
        device((s, req) -> registers(req, 42, 43, 44));
        waitUntil(() -> onContext(() -> connection.isConnected()));
        assertArrayEquals(new int[] { 42, 43, 44 }, read());
    }

    @Test
    void threeTimeoutsInARowReopenTheConnection() throws Exception {
        device((s, req) -> null);
        connect(Duration.ofMillis(100));
        for (int i = 0; i < 3; i++) {
            assertEquals(ModbusReadException.Kind.TIMEOUT, readFails().kind());
        }
        waitUntil(() -> connections.get() >= 2);
    }

    @Test
    void aLateAnswerWithAnOldTransactionIdIsDiscardedNotMatched() throws Exception {
        AtomicInteger n = new AtomicInteger();
        device((s, req) -> {
            // the first answer (1, 1, 1) comes after its request timed out, while the second request waits for (2, 2, 2)
            boolean first = n.getAndIncrement() == 0;
            Buffer reply = first ? registers(req, 1, 1, 1) : registers(req, 2, 2, 2);
            vertx.setTimer(first ? 300 : 500, id -> s.write(reply));
            return null;
        });
        connect(Duration.ofMillis(100));
        assertEquals(ModbusReadException.Kind.TIMEOUT, readFails().kind());
        timeoutMillis = 2000;
        assertArrayEquals(new int[] { 2, 2, 2 }, read());
        assertEquals(1L, (long) onContext(() -> connection.staleResponses()));
        assertEquals(1, connections.get());
    }

    @Test
    void concurrentReadsForSeveralUnitsAreSerialisedOnOneConnection() throws Exception {
        AtomicInteger unanswered = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        device((s, req) -> {
            if (unanswered.getAndIncrement() > 0) {
                overlaps.incrementAndGet();
            }
            int unit = req.getUnsignedByte(6);
            Buffer reply = registers(req, unit, unit * 10, unit * 100);
            vertx.setTimer(20, id -> {
                unanswered.decrementAndGet();
                s.write(reply);
            });
            return null;
        });
        connect(Duration.ofSeconds(1));
        List<CompletableFuture<int[]>> reads = new ArrayList<>();
        for (int unit = 1; unit <= 5; unit++) {
            reads.add(ContextReads.read(context, connection, unit, READ, 1000));
        }
        for (int unit = 1; unit <= 5; unit++) {
            assertArrayEquals(new int[] { unit, unit * 10, unit * 100 }, reads.get(unit - 1).get(10, TimeUnit.SECONDS));
        }
        assertEquals(0, overlaps.get(), "a request went out before the previous one was answered");
        assertEquals(1, connections.get());
    }

    @Test
    void aSilentUnitDoesNotReopenTheConnectionWhileOthersAnswer() throws Exception {
        device((s, req) -> req.getUnsignedByte(6) == 9 ? null : registers(req, 1, 2, 3));
        connect(Duration.ofMillis(80));
        for (int i = 0; i < 5; i++) {
            CompletableFuture<int[]> silent = ContextReads.read(context, connection, 9, READ, 80);
            CompletableFuture<int[]> alive = ContextReads.read(context, connection, 1, READ, 80);
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> silent.get(5, TimeUnit.SECONDS));
            assertEquals(ModbusReadException.Kind.TIMEOUT, ((ModbusReadException) e.getCause()).kind());
            assertArrayEquals(new int[] { 1, 2, 3 }, alive.get(5, TimeUnit.SECONDS));
        }
        assertEquals(1, connections.get());
    }

    @Test
    void aHalfOpenConnectionIsReopened() throws Exception {
        // the device answers, then goes quiet without closing (a NAT or gateway lost the flow), then answers again
        AtomicBoolean quiet = new AtomicBoolean();
        device((s, req) -> quiet.get() ? null : registers(req, 5, 6, 7));
        connect(Duration.ofMillis(100));
        assertArrayEquals(new int[] { 5, 6, 7 }, read());
        quiet.set(true);
        assertEquals(ModbusReadException.Kind.TIMEOUT, readFails().kind());
        assertEquals(ModbusReadException.Kind.TIMEOUT, readFails().kind());
        assertEquals(1, connections.get(), "two timeouts are not yet a dead connection");
        ModbusReadException third = readFails();
        assertEquals(ModbusReadException.Kind.TIMEOUT, third.kind());
        waitUntil(() -> connections.get() == 2);
        quiet.set(false);
        waitUntil(() -> onContext(() -> connection.isConnected()));
        assertArrayEquals(new int[] { 5, 6, 7 }, read());
        assertEquals(1L, (long) onContext(() -> connection.disconnects()));
    }

    @Test
    void aTruncatedFrameIsABadFrameAndTheConnectionIsReopened() throws Exception {
        AtomicInteger n = new AtomicInteger();
        device((s, req) -> {
            Buffer reply = registers(req, 1, 2, 3);
            return n.getAndIncrement() == 0 ? reply.getBuffer(0, 10) : reply;
        });
        connect(Duration.ofMillis(150));
        ModbusReadException e = readFails();
        assertEquals(ModbusReadException.Kind.BAD_FRAME, e.kind());
        assertEquals("bad frame: truncated frame: 10 byte(s) of a frame arrived, the rest did not within 150 ms", e.getMessage());
        waitUntil(() -> connections.get() == 2 && onContext(() -> connection.isConnected()));
        assertArrayEquals(new int[] { 1, 2, 3 }, read());
    }

    @Test
    void theConnectDelayHoldsTheFirstRequestBack() throws Exception {
        device((s, req) -> registers(req, 8, 8, 8));
        timeoutMillis = 1000;
        long[] acceptedAt = new long[1];
        onContext(() -> {
            connection = new ModbusTcpConnection(vertx, context, client, "127.0.0.1", port,
                    new Backoff(Duration.ofMillis(50), Duration.ofMillis(200)), Duration.ofMillis(400), 3);
            connection.open();
            return null;
        });
        waitUntil(() -> connections.get() == 1);
        acceptedAt[0] = System.nanoTime();
        ModbusReadException early = readFails();
        assertEquals(ModbusReadException.Kind.NOT_CONNECTED, early.kind());
        assertTrue(early.getMessage().contains("waiting connect-delay 400 ms"), early.getMessage());
        waitUntil(() -> onContext(() -> connection.isConnected()));
        assertTrue(System.nanoTime() - acceptedAt[0] >= TimeUnit.MILLISECONDS.toNanos(300), "ready before the connect delay");
        assertArrayEquals(new int[] { 8, 8, 8 }, read());
    }

    <T> T onContext(java.util.concurrent.Callable<T> action) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                f.complete(action.call());
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(10, TimeUnit.SECONDS);
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void waitUntil(Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(20);
        }
    }
}
