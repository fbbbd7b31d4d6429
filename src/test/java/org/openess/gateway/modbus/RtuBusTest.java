package org.openess.gateway.modbus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openess.gateway.modbus.ContextReads.failure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openess.gateway.plan.ReadRequest;
import org.openess.gateway.profile.Area;
import org.openess.gateway.profile.FunctionCode;
import org.openess.gateway.retry.Backoff;
import org.openess.gateway.testsupport.UnitTest;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.parsetools.RecordParser;

/**
 * The RTU bus over a real TCP socket (RTU over TCP) to a scripted bus of devices: one request at
 * a time with silence between frames, silent units time out without holding up the others, and
 * frames with a bad CRC, from the wrong unit, late, or cut short are discarded and counted.
 */
@UnitTest
class RtuBusTest {
    Vertx vertx;
    NetServer server;
    Context context;
    RtuBus bus;
    /** What the scripted bus answers to a request (null: nobody answers). */
    volatile Function<byte[], byte[]> script;
    final List<Long> requestNanos = new CopyOnWriteArrayList<>();
    final List<Long> answerNanos = new CopyOnWriteArrayList<>();
    final AtomicInteger overlapping = new AtomicInteger();
    volatile long answerDelayMillis;

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createNetServer().connectHandler(socket -> {
            boolean[] busy = { false };
            RecordParser parser = RecordParser.newFixed(8, buf -> {
                requestNanos.add(System.nanoTime());
                if (busy[0]) {
                    overlapping.incrementAndGet();
                }
                byte[] answer = script.apply(buf.getBytes());
                if (answer == null) {
                    return;
                }
                busy[0] = true;
                Runnable send = () -> {
                    busy[0] = false;
                    answerNanos.add(System.nanoTime());
                    socket.write(Buffer.buffer(answer));
                };
                if (answerDelayMillis > 0) {
                    vertx.setTimer(answerDelayMillis, id -> send.run());
                } else {
                    send.run();
                }
            });
            socket.handler(parser);
        });
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        context = vertx.getOrCreateContext();
        bus = ContextReads.openRtuBus(vertx, context, server.actualPort(), new Backoff(Duration.ofMillis(20), Duration.ofMillis(100)),
                16, 3);
    }

    @AfterEach
    void tearDown() throws Exception {
        context.runOnContext(v -> bus.close());
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static ReadRequest holding(int start, int count) {
        return new ReadRequest(0, new Area("a", FunctionCode.HOLDING_REGISTERS, 0, 65536), FunctionCode.HOLDING_REGISTERS, start,
                count);
    }

    /** Unit u's registers hold start + i + 1000 u; units in {@code alive} answer. */
    static byte[] device(byte[] request, int... alive) {
        int unit = request[0] & 0xFF;
        if (java.util.Arrays.stream(alive).noneMatch(a -> a == unit)) {
            return null;
        }
        int start = ((request[2] & 0xFF) << 8) | (request[3] & 0xFF);
        int count = ((request[4] & 0xFF) << 8) | (request[5] & 0xFF);
        byte[] pdu = new byte[2 + 2 * count];
        pdu[0] = 3;
        pdu[1] = (byte) (2 * count);
        for (int i = 0; i < count; i++) {
            int v = start + i + 1000 * unit;
            pdu[2 + 2 * i] = (byte) (v >> 8);
            pdu[3 + 2 * i] = (byte) v;
        }
        return RtuFrames.frame(unit, pdu);
    }

    CompletableFuture<int[]> read(int unit, ReadRequest r, long timeoutMillis) {
        return ContextReads.read(context, bus, unit, r, timeoutMillis);
    }

    @Test
    void requestsGoOutOneAtATimeWithSilenceBetweenFrames() throws Exception {
        script = r -> device(r, 1, 2);
        answerDelayMillis = 5;
        List<CompletableFuture<int[]>> reads = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            reads.add(read(1 + i % 2, holding(i, 3), 500));
        }
        for (int i = 0; i < 10; i++) {
            int unit = 1 + i % 2;
            assertArrayEquals(new int[] { i + 1000 * unit, i + 1 + 1000 * unit, i + 2 + 1000 * unit }, reads.get(i).get(10, TimeUnit.SECONDS));
        }
        assertEquals(0, overlapping.get(), "a request went out while another was unanswered");
        assertEquals(10, requestNanos.size());
        for (int i = 1; i < requestNanos.size(); i++) {
            long silence = requestNanos.get(i) - answerNanos.get(i - 1);
            assertTrue(silence >= RtuBus.MIN_SILENCE_NANOS, "request " + i + " followed the previous answer after " + silence + " ns");
        }
        assertEquals(10, bus.requests());
        assertTrue(bus.busNanos(1) > 0 && bus.busNanos(2) > 0);
    }

    @Test
    void aFullQueueRefusesAtOnce() throws Exception {
        script = r -> null;
        List<CompletableFuture<int[]>> reads = new java.util.ArrayList<>();
        for (int i = 0; i < 18; i++) {
            reads.add(read(1, holding(0, 1), 50));
        }
        // one on the wire, 16 waiting: the 18th is refused without waiting
        Throwable t = failure(reads.get(17));
        assertTrue(t.getMessage().contains("16 requests waiting already"), t.getMessage());
    }

    @Test
    void aSilentUnitTimesOutAndTheOthersGoOn() throws Exception {
        script = r -> device(r, 1);
        CompletableFuture<int[]> silent = read(3, holding(0, 1), 100);
        CompletableFuture<int[]> alive = read(1, holding(0, 1), 100);
        Throwable t = failure(silent);
        assertTrue(t instanceof ModbusReadException m && m.kind() == ModbusReadException.Kind.TIMEOUT, String.valueOf(t));
        assertArrayEquals(new int[] { 1000 }, alive.get(10, TimeUnit.SECONDS));
        assertEquals(1, bus.timeouts());
    }

    @Test
    void aBadCrcFailsTheReadAtOnceAndIsCounted() throws Exception {
        script = r -> {
            byte[] a = device(r, 1);
            a[a.length - 1] ^= 0x55;
            return a;
        };
        Throwable t = failure(read(1, holding(0, 2), 2000));
        assertTrue(t instanceof ModbusReadException m && m.kind() == ModbusReadException.Kind.BAD_FRAME
                && m.getMessage().contains("wrong CRC"), String.valueOf(t));
        assertEquals(1, bus.crcErrors());
        assertEquals(0, bus.timeouts());
        script = r -> device(r, 1);
        assertArrayEquals(new int[] { 1000, 1001 }, read(1, holding(0, 2), 500).get(10, TimeUnit.SECONDS));
    }

    @Test
    void aFrameFromAnotherUnitIsDiscardedAndTheRightOneTaken() throws Exception {
        script = r -> {
            byte[] foreign = device(new byte[] { 9, 3, 0, 0, 0, 1 }, 9);
            byte[] right = device(r, 1);
            byte[] both = java.util.Arrays.copyOf(foreign, foreign.length + right.length);
            System.arraycopy(right, 0, both, foreign.length, right.length);
            return both;
        };
        assertArrayEquals(new int[] { 1005 }, read(1, holding(5, 1), 500).get(10, TimeUnit.SECONDS));
        assertEquals(1, bus.framesDiscarded());
    }

    @Test
    void aLateAnswerIsNotTakenForTheNextRequest() throws Exception {
        script = r -> device(r, 1);
        answerDelayMillis = 150;
        Throwable t = failure(read(1, holding(0, 1), 50));
        assertTrue(t instanceof ModbusReadException m && m.kind() == ModbusReadException.Kind.TIMEOUT, String.valueOf(t));
        answerDelayMillis = 0;
        // the late answer (value 1000) arrives while nothing or the next request is on the wire; the next read gets its own
        Thread.sleep(200);
        assertArrayEquals(new int[] { 1007 }, read(1, holding(7, 1), 500).get(10, TimeUnit.SECONDS));
        assertTrue(bus.framesDiscarded() >= 1);
    }

    @Test
    void aTruncatedFrameIsGivenUp() throws Exception {
        script = r -> java.util.Arrays.copyOf(device(r, 1), 5);
        Throwable t = failure(read(1, holding(0, 3), 2000));
        assertTrue(t instanceof ModbusReadException m && m.kind() == ModbusReadException.Kind.BAD_FRAME
                && m.getMessage().contains("truncated"), String.valueOf(t));
        script = r -> device(r, 1);
        assertArrayEquals(new int[] { 1000 }, read(1, holding(0, 1), 500).get(10, TimeUnit.SECONDS));
    }

    @Test
    void broadcastIsRefusedForReads() throws Exception {
        script = r -> device(r, 1);
        Throwable t = failure(read(0, holding(0, 1), 500));
        assertTrue(t.getMessage().contains("0 is broadcast"), t.getMessage());
        assertEquals(0, requestNanos.size());
    }

    @Test
    void theConverterClosingIsAReconnect() throws Exception {
        script = r -> device(r, 1);
        assertArrayEquals(new int[] { 1000 }, read(1, holding(0, 1), 500).get(10, TimeUnit.SECONDS));
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (bus.isConnected()) {
            assertTrue(System.nanoTime() < deadline, "the loss was not noticed");
            Thread.sleep(10);
        }
        assertTrue(bus.disconnects() >= 1);
        Throwable t = failure(read(1, holding(0, 1), 500));
        assertTrue(t instanceof ModbusReadException m && m.kind() == ModbusReadException.Kind.NOT_CONNECTED, String.valueOf(t));
    }
}
