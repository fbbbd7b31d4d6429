package org.openess.gateway.modbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openess.gateway.plan.ReadRequest;
import org.openess.gateway.profile.Area;
import org.openess.gateway.profile.FunctionCode;
import org.openess.gateway.profile.ProfileLoader;
import org.openess.gateway.retry.Backoff;
import org.openess.gateway.simulator.SimulatorServer;
import org.openess.gateway.testsupport.FreePorts;
import org.openess.gateway.testsupport.ModbusFaultProxy;
import org.openess.gateway.testsupport.ModbusFaultProxy.Fault;
import org.openess.gateway.testsupport.UnitTest;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * The client talking to the simulator through {@link ModbusFaultProxy}: every damaged answer is
 * classified as what it is, the connection is reopened exactly when the stream is out of step,
 * and the next read gets its own answer.
 */
@UnitTest
class ModbusFaultProxyTest {
    static final Area PCS = new Area("PCS", FunctionCode.INPUT_REGISTERS, 500, 89);
    static final ReadRequest TEN = new ReadRequest(0, PCS, FunctionCode.INPUT_REGISTERS, 500, 10);
    static final ReadRequest TWENTY = new ReadRequest(1, PCS, FunctionCode.INPUT_REGISTERS, 520, 20);

    Vertx vertx;
    SimulatorServer simulator;
    ModbusFaultProxy proxy;
    Context context;
    ModbusTcpConnection connection;

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        int port = FreePorts.consecutive(1);
        simulator = new SimulatorServer(vertx, ProfileLoader.load("operation1"), 1, "127.0.0.1", port, 0);
        simulator.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        proxy = new ModbusFaultProxy("127.0.0.1", port);
        context = vertx.getOrCreateContext();
        connection = new ModbusTcpConnection(vertx, context, vertx.createNetClient(), "127.0.0.1", proxy.port(),
                new Backoff(Duration.ofMillis(20), Duration.ofMillis(100)), Duration.ZERO, 3);
        context.runOnContext(v -> connection.open());
    }

    @AfterEach
    void tearDown() throws Exception {
        context.runOnContext(v -> connection.close());
        proxy.close();
        simulator.stop();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    int[] read(ReadRequest r, long timeoutMillis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                return ContextReads.read(context, connection, 1, r, timeoutMillis).get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                // reconnecting after a fault that broke the stream
                if (((ModbusReadException) e.getCause()).kind() != ModbusReadException.Kind.NOT_CONNECTED || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    ModbusReadException fails(ReadRequest r, long timeoutMillis) throws Exception {
        CompletableFuture<int[]> f = ContextReads.read(context, connection, 1, r, timeoutMillis);
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return (ModbusReadException) e.getCause();
        }
        throw new AssertionError("the read succeeded through a " + r);
    }

    @Test
    void eachFaultIsClassifiedAndTheClientRecovers() throws Exception {
        assertEquals(10, read(TEN, 500).length);

        proxy.inject(Fault.DROP);
        ModbusReadException dropped = fails(TEN, 150);
        assertEquals(ModbusReadException.Kind.TIMEOUT, dropped.kind());
        assertEquals(10, read(TEN, 500).length);
        assertEquals(1, proxy.connections(), "a lost answer does not cost the connection");

        // the late answer (10 registers) arrives while the next read waits for 20: discarded, not matched
        proxy.delayMillis(300);
        proxy.inject(Fault.DELAY);
        assertEquals(ModbusReadException.Kind.TIMEOUT, fails(TEN, 150).kind());
        assertEquals(20, read(TWENTY, 2000).length);
        Thread.sleep(300);
        CompletableFuture<Long> stale = new CompletableFuture<>();
        context.runOnContext(v -> stale.complete(connection.staleResponses()));
        assertEquals(1L, stale.get(5, TimeUnit.SECONDS));
        assertEquals(1, proxy.connections());

        proxy.inject(Fault.CORRUPT_PDU);
        ModbusReadException corruptPdu = fails(TEN, 500);
        assertEquals(ModbusReadException.Kind.BAD_FRAME, corruptPdu.kind());
        assertTrue(corruptPdu.getMessage().startsWith("response byte count 22 in a PDU of 22 bytes"), corruptPdu.getMessage());
        assertEquals(10, read(TEN, 500).length);
        assertEquals(1, proxy.connections(), "a wrong PDU in a well-framed answer does not cost the connection");

        proxy.inject(Fault.CORRUPT_HEADER);
        ModbusReadException corruptHeader = fails(TEN, 500);
        assertEquals(ModbusReadException.Kind.BAD_FRAME, corruptHeader.kind());
        assertEquals("bad frame: MBAP protocol id 4608 (must be 0)", corruptHeader.getMessage());
        assertEquals(10, read(TEN, 500).length);
        assertEquals(2, proxy.connections(), "a broken header reopens the connection to resynchronise");

        proxy.inject(Fault.TRUNCATE);
        ModbusReadException truncated = fails(TEN, 200);
        assertEquals(ModbusReadException.Kind.BAD_FRAME, truncated.kind());
        assertEquals("bad frame: truncated frame: 14 byte(s) of a frame arrived, the rest did not within 200 ms", truncated.getMessage());
        assertEquals(20, read(TWENTY, 500).length);
        assertEquals(3, proxy.connections(), "a truncated frame reopens the connection");
    }
}
