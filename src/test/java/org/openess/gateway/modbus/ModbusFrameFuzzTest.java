package org.openess.gateway.modbus;

import org.openess.gateway.retry.Backoff;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.openess.gateway.plan.ReadRequest;
import org.openess.gateway.profile.Area;
import org.openess.gateway.profile.FunctionCode;
import org.openess.gateway.testsupport.FreePorts;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;

/**
 * A device that answers with corrupted frames (random bytes, flipped header fields, truncated or
 * padded PDUs, split at random points): every read ends with values or a classified error, none
 * hangs or escapes as an unexpected exception, and once the device behaves the client reads again.
 */
class ModbusFrameFuzzTest {
    static final ReadRequest READ = new ReadRequest(0, new Area("A", FunctionCode.INPUT_REGISTERS, 0, 100),
            FunctionCode.INPUT_REGISTERS, 0, 8);

    @Test
    void corruptedAnswersAreReportedAndTheClientRecovers() throws Exception {
        Vertx vertx = Vertx.vertx();
        Random random = new Random(20261127L);
        AtomicBoolean corrupt = new AtomicBoolean(true);
        int port = FreePorts.one();
        NetServer server = vertx.createNetServer().connectHandler(socket -> socket.handler(req -> {
            Buffer good = Buffer.buffer().appendUnsignedShort(req.getUnsignedShort(0)).appendUnsignedShort(0).appendUnsignedShort(19)
                    .appendByte(req.getByte(6)).appendByte((byte) 4).appendByte((byte) 16);
            for (int i = 0; i < 8; i++) {
                good.appendUnsignedShort(i * 1000);
            }
            Buffer answer = corrupt.get() ? mangle(good, random) : good;
            int cut = answer.length() > 1 ? random.nextInt(answer.length()) : 0;
            socket.write(answer.getBuffer(0, cut));
            Buffer rest = answer.getBuffer(cut, answer.length());
            vertx.setTimer(1 + random.nextInt(3), id -> socket.write(rest));
        }));
        server.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        Context context = vertx.getOrCreateContext();
        ModbusTcpConnection connection = new ModbusTcpConnection(vertx, context, vertx.createNetClient(), "fuzz", "127.0.0.1", port, 1,
                Duration.ofMillis(150), new Backoff(Duration.ofMillis(5), Duration.ofMillis(20)));
        context.runOnContext(v -> connection.open());
        Map<ModbusReadException.Kind, Integer> outcomes = new EnumMap<>(ModbusReadException.Kind.class);
        int succeeded = 0;
        try {
            for (int i = 0; i < 400; i++) {
                CompletableFuture<int[]> f = ContextReads.read(context, connection, READ);
                try {
                    int[] values = f.get(5, TimeUnit.SECONDS);
                    assertEquals(8, values.length);
                    succeeded++;
                } catch (java.util.concurrent.ExecutionException e) {
                    assertTrue(e.getCause() instanceof ModbusReadException, "unexpected " + e.getCause());
                    ModbusReadException m = (ModbusReadException) e.getCause();
                    assertTrue(m.getMessage() != null && !m.getMessage().isBlank());
                    outcomes.merge(m.kind(), 1, Integer::sum);
                    if (m.kind() == ModbusReadException.Kind.NOT_CONNECTED) {
                        Thread.sleep(10);
                    }
                }
            }
            assertTrue(outcomes.getOrDefault(ModbusReadException.Kind.BAD_FRAME, 0) > 20, outcomes.toString());
            corrupt.set(false);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                CompletableFuture<int[]> f = new CompletableFuture<>();
                context.runOnContext(v -> connection.read(READ).onComplete(ar -> f.complete(ar.succeeded() ? ar.result() : null)));
                int[] values = f.get(5, TimeUnit.SECONDS);
                if (values != null) {
                    assertArrayEquals(new int[] { 0, 1000, 2000, 3000, 4000, 5000, 6000, 7000 }, values);
                    break;
                }
                assertTrue(System.nanoTime() < deadline, "the client did not recover");
                Thread.sleep(20);
            }
        } finally {
            context.runOnContext(v -> connection.close());
            server.close();
            vertx.close();
        }
        assertTrue(succeeded + outcomes.values().stream().mapToInt(Integer::intValue).sum() == 400);
    }

    /** One of several corruptions of a valid answer. */
    static Buffer mangle(Buffer good, Random r) {
        Buffer b = good.copy();
        switch (r.nextInt(8)) {
            case 0 -> b.setUnsignedShort(2, 1 + r.nextInt(0xFFFE)); // protocol id
            case 1 -> b.setUnsignedShort(4, r.nextBoolean() ? r.nextInt(3) : 255 + r.nextInt(1000)); // impossible length
            case 2 -> b.setByte(8, (byte) r.nextInt(256)); // byte count
            case 3 -> b.setByte(7, (byte) (r.nextInt(2) == 0 ? 0x84 : 1 + r.nextInt(20))); // function code / exception
            case 4 -> b = b.getBuffer(0, 7 + r.nextInt(b.length() - 7)); // truncated: the rest never comes
            case 5 -> b.appendBytes(new byte[1 + r.nextInt(5)]); // trailing garbage
            case 6 -> {
                byte[] noise = new byte[1 + r.nextInt(40)];
                r.nextBytes(noise);
                b = Buffer.buffer(noise);
            }
            default -> b.setUnsignedShort(0, r.nextInt(0x10000)); // another transaction id
        }
        return b;
    }
}
