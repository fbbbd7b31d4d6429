package org.openess.gateway.modbus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.openess.gateway.modbus.ModbusReadException.Kind;
import org.openess.gateway.plan.ReadRequest;
import org.openess.gateway.profile.Area;
import org.openess.gateway.profile.FunctionCode;
import org.openess.gateway.retry.Backoff;
import org.openess.gateway.testsupport.FreePorts;
import org.openess.gateway.testsupport.UnitTest;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;

/**
 * The connection's stream framing against a device whose answers are damaged in eight ways and
 * delivered split at a random point: each read ends with the outcome its damage calls for, a
 * read that succeeds has exactly the device's values, and the client recovers after every fault.
 */
@UnitTest
class ModbusStreamFuzzTest {
    static final ReadRequest READ = new ReadRequest(0, new Area("A", FunctionCode.INPUT_REGISTERS, 0, 100),
            FunctionCode.INPUT_REGISTERS, 0, 8);
    static final int[] VALUES = { 0, 1000, 2000, 3000, 4000, 5000, 6000, 7000 };
    static final long TIMEOUT = 120;

    enum Damage {
        NONE, PROTOCOL_ID, IMPOSSIBLE_LENGTH, BYTE_COUNT, FUNCTION_CODE, TRUNCATED, TRAILING_GARBAGE, OTHER_TRANSACTION, NOISE
    }

    @Test
    void everyDamagedAnswerGetsTheOutcomeItCallsFor() throws Exception {
        Vertx vertx = Vertx.vertx();
        Random random = new Random(20261128L);
        AtomicReference<Damage> next = new AtomicReference<>(Damage.NONE);
        int port = FreePorts.one();
        NetServer server = vertx.createNetServer().connectHandler(socket -> socket.handler(req -> {
            Buffer good = Buffer.buffer().appendUnsignedShort(req.getUnsignedShort(0)).appendUnsignedShort(0).appendUnsignedShort(19)
                    .appendByte(req.getByte(6)).appendByte((byte) 4).appendByte((byte) 16);
            for (int v : VALUES) {
                good.appendUnsignedShort(v);
            }
            Buffer answer = damage(good, next.get(), random);
            int cut = answer.length() > 1 ? random.nextInt(answer.length()) : 0;
            socket.write(answer.getBuffer(0, cut));
            Buffer rest = answer.getBuffer(cut, answer.length());
            vertx.setTimer(1 + random.nextInt(3), id -> socket.write(rest));
        }));
        server.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        Context context = vertx.getOrCreateContext();
        ModbusTcpConnection connection = new ModbusTcpConnection(vertx, context, vertx.createNetClient(), "127.0.0.1", port,
                new Backoff(Duration.ofMillis(5), Duration.ofMillis(20)), Duration.ZERO, 1000);
        context.runOnContext(v -> connection.open());
        Map<Damage, Integer> counts = new EnumMap<>(Damage.class);
        boolean poisoned = false; // trailing garbage of the previous answer is still in the stream
        try {
            for (int i = 0; i < 300; i++) {
                awaitConnected(context, connection);
                Damage d = Damage.values()[random.nextInt(Damage.values().length)];
                next.set(d);
                String where = "read " + i + " (" + d + (poisoned ? ", after trailing garbage" : "") + ")";
                Object outcome = outcome(ContextReads.read(context, connection, 1, READ, TIMEOUT), where);
                if (outcome instanceof int[] values) {
                    assertArrayEquals(VALUES, values, where + ": a read that succeeds has exactly the device's values");
                }
                Set<Object> allowed = poisoned ? Set.of(Kind.BAD_FRAME, Kind.TIMEOUT) : switch (d) {
                    case NONE, TRAILING_GARBAGE -> Set.of("values");
                    case PROTOCOL_ID, IMPOSSIBLE_LENGTH, BYTE_COUNT, FUNCTION_CODE, TRUNCATED -> Set.of(Kind.BAD_FRAME);
                    case OTHER_TRANSACTION -> Set.of(Kind.TIMEOUT);
                    // random bytes: a header that cannot be, or one announcing more than ever comes
                    case NOISE -> Set.of(Kind.BAD_FRAME, Kind.TIMEOUT);
                };
                Object key = outcome instanceof int[] ? "values" : ((ModbusReadException) outcome).kind();
                assertTrue(allowed.contains(key), where + ": got " + key + ", allowed " + allowed
                        + (outcome instanceof ModbusReadException e ? " (" + e.getMessage() + ")" : ""));
                poisoned = !poisoned && d == Damage.TRAILING_GARBAGE;
                if (!poisoned) {
                    // a leftover (late or noisy bytes) must not leak into the next read: start it on a clean stream
                    reopenIfDirty(context, connection, key);
                }
                counts.merge(d, 1, Integer::sum);
            }
            for (Damage d : Damage.values()) {
                assertTrue(counts.getOrDefault(d, 0) >= 15, d + " tried only " + counts.get(d) + " times");
            }
            next.set(Damage.NONE);
            awaitConnected(context, connection);
            assertArrayEquals(VALUES, ContextReads.read(context, connection, 1, READ, 1000).get(5, TimeUnit.SECONDS));
        } finally {
            context.runOnContext(v -> connection.close());
            server.close();
            vertx.close();
        }
    }

    static Object outcome(CompletableFuture<int[]> f, String where) throws Exception {
        try {
            return f.get(TIMEOUT + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            assertTrue(e.getCause() instanceof ModbusReadException, where + ": unexpected " + e.getCause());
            return e.getCause();
        }
    }

    /** After a timeout the stream may hold an unfinished frame; reopen so that each read starts clean. */
    static void reopenIfDirty(Context context, ModbusTcpConnection connection, Object outcome) throws Exception {
        if (outcome == Kind.TIMEOUT) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            context.runOnContext(v -> {
                connection.close();
                connection.open();
                done.complete(null);
            });
            done.get(5, TimeUnit.SECONDS);
        }
    }

    static void awaitConnected(Context context, ModbusTcpConnection connection) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            CompletableFuture<Boolean> up = new CompletableFuture<>();
            context.runOnContext(v -> up.complete(connection.isConnected()));
            if (up.get(5, TimeUnit.SECONDS)) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "the client did not reconnect");
            Thread.sleep(5);
        }
    }

    static Buffer damage(Buffer good, Damage d, Random r) {
        Buffer b = good.copy();
        switch (d) {
            case NONE -> {
            }
            case PROTOCOL_ID -> b.setUnsignedShort(2, 1 + r.nextInt(0xFFFE));
            case IMPOSSIBLE_LENGTH -> b.setUnsignedShort(4, r.nextBoolean() ? r.nextInt(3) : 255 + r.nextInt(1000));
            case BYTE_COUNT -> b.setByte(8, (byte) (16 + 1 + r.nextInt(255)));
            case FUNCTION_CODE -> b.setByte(7, (byte) (5 + r.nextInt(0x7B))); // neither 4 nor 0x84
            case TRUNCATED -> b = b.getBuffer(0, 7 + r.nextInt(b.length() - 7));
            case TRAILING_GARBAGE -> b.appendBytes(new byte[1 + r.nextInt(5)]);
            case OTHER_TRANSACTION -> b.setUnsignedShort(0, (b.getUnsignedShort(0) + 1 + r.nextInt(0xFFFE)) & 0xFFFF);
            case NOISE -> {
                byte[] noise = new byte[1 + r.nextInt(40)];
                r.nextBytes(noise);
                b = Buffer.buffer(noise);
            }
        }
        return b;
    }
}
