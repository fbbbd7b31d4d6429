package org.openess.gateway.testsupport;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.openess.gateway.profile.Profile;
import org.openess.gateway.simulator.SimulatedDevice;
import org.openess.gateway.simulator.SimulatorServer;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

/**
 * A Modbus TCP→RTU gateway on loopback with simulated units behind it, each with a behaviour a
 * test can change while it runs. Like a real gateway it works on one request at a time: an answer
 * takes {@code answerDelayMillis}, and a request that arrives while an answer is still being
 * prepared is counted as an overlap (a client that does not serialise its requests).
 */
public final class ModbusTestGateway implements AutoCloseable {
    public enum Behaviour {
        /** Answers with the simulated device's registers. */
        ANSWER,
        /** Never answers (a dead RTU device behind a gateway that does not send 0B). */
        SILENT,
        /** Answers exception 0B (gateway target device failed to respond). */
        TARGET_FAILED,
        /** Answers exception 06 (server busy) to every other request, the registers to the rest. */
        BUSY_EVERY_OTHER,
        /** Answers exception 06 to every request. */
        BUSY_ALWAYS
    }

    private final Vertx vertx;
    private final Profile profile;
    private final long answerDelayMillis;
    private final Map<Integer, Behaviour> behaviour = new ConcurrentHashMap<>();
    private final Map<Integer, SimulatedDevice> devices = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicLong> requests = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger overlaps = new AtomicInteger();
    private NetServer server;
    private int port;

    public ModbusTestGateway(Vertx vertx, Profile profile, long answerDelayMillis) {
        this.vertx = vertx;
        this.profile = profile;
        this.answerDelayMillis = answerDelayMillis;
    }

    public ModbusTestGateway unit(int unitId, Behaviour b) {
        devices.computeIfAbsent(unitId, u -> new SimulatedDevice(profile, u, 0));
        behaviour.put(unitId, b);
        return this;
    }

    public int start() throws Exception {
        port = FreePorts.one();
        server = vertx.createNetServer().connectHandler(this::serve);
        server.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        return port;
    }

    public int port() {
        return port;
    }

    /** TCP connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** Requests that arrived while the answer to another one was still being prepared. */
    public int overlaps() {
        return overlaps.get();
    }

    public long requests(int unitId) {
        AtomicLong n = requests.get(unitId);
        return n == null ? 0 : n.get();
    }

    private void serve(NetSocket socket) {
        connections.incrementAndGet();
        boolean[] answering = { false };
        socket.handler(MbapRequests.parser((tid, unit, pdu) -> {
            long n = requests.computeIfAbsent(unit, u -> new AtomicLong()).incrementAndGet();
            Behaviour b = behaviour.getOrDefault(unit, Behaviour.SILENT);
            Buffer answer = switch (b) {
                case SILENT -> null;
                case TARGET_FAILED -> exception(tid, unit, pdu[0], 11);
                case BUSY_ALWAYS -> exception(tid, unit, pdu[0], 6);
                case BUSY_EVERY_OTHER -> n % 2 == 1 ? exception(tid, unit, pdu[0], 6)
                        : SimulatorServer.respond(devices.get(unit), tid, unit, pdu, System.currentTimeMillis(), null);
                case ANSWER -> SimulatorServer.respond(devices.get(unit), tid, unit, pdu, System.currentTimeMillis(), null);
            };
            if (answer == null) {
                return;
            }
            if (answering[0]) {
                overlaps.incrementAndGet();
            }
            answering[0] = true;
            vertx.setTimer(Math.max(1, answerDelayMillis), id -> {
                answering[0] = false;
                socket.write(answer);
            });
        }));
        socket.exceptionHandler(e -> socket.close());
    }

    private static Buffer exception(int tid, int unit, byte function, int code) {
        return Buffer.buffer().appendUnsignedShort(tid).appendUnsignedShort(0).appendUnsignedShort(3).appendByte((byte) unit)
                .appendByte((byte) (function | 0x80)).appendByte((byte) code);
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }
}
