package org.openess.gateway.modbus;

import org.openess.gateway.retry.Backoff;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.openess.gateway.plan.ReadRequest;
import org.openess.gateway.profile.Area;
import org.openess.gateway.profile.FunctionCode;
import org.openess.gateway.profile.ProfileLoader;
import org.openess.gateway.simulator.SimulatorServer;
import org.openess.gateway.testsupport.FreePorts;
import org.openess.gateway.testsupport.InteropToolsTest;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Our client and our simulator against independent Modbus implementations from Debian:
 * pymodbus as a device for the client, mbpoll as a client for the simulator. Both are installed
 * by scripts/test.sh and .ci/run (packages python3-pymodbus, mbpoll).
 */
@InteropToolsTest
class InteropTest {
    private static final String PYTHON = "/usr/bin/python3";

    @Test
    void ourClientReadsRegistersAndBitsFromPymodbus() throws Exception {
        assertTrue(Files.isExecutable(Path.of(PYTHON)), "needs " + PYTHON + " with python3-pymodbus (apt-get install python3-pymodbus)");
        int port = FreePorts.one();
        Path script = Files.createTempFile("pymodbus_server", ".py");
        Files.write(script, InteropTest.class.getResourceAsStream("/interop/pymodbus_server.py").readAllBytes());
        Process device = new ProcessBuilder(PYTHON, script.toString(), Integer.toString(port)).redirectErrorStream(true).start();
        Vertx vertx = Vertx.vertx();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(device.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertEquals("READY", first, "pymodbus did not start (is python3-pymodbus installed?)");
            Context context = vertx.getOrCreateContext();
            ModbusTcpConnection connection = new ModbusTcpConnection(vertx, context, vertx.createNetClient(), "127.0.0.1", port,
                    new Backoff(Duration.ofMillis(50), Duration.ofMillis(200)), Duration.ZERO, 3);
            context.runOnContext(v -> connection.open());
            int[] expectedWords = new int[125];
            for (int i = 0; i < 125; i++) {
                expectedWords[i] = (i * 397) % 65536;
            }
            assertArrayEquals(expectedWords, read(vertx, context, connection, FunctionCode.INPUT_REGISTERS, 0, 125));
            assertArrayEquals(java.util.Arrays.copyOfRange(expectedWords, 75, 85),
                    read(vertx, context, connection, FunctionCode.HOLDING_REGISTERS, 75, 10));
            int[] expectedBits = new int[37];
            for (int i = 0; i < 37; i++) {
                expectedBits[i] = (i + 5) % 3 == 0 ? 1 : 0;
            }
            assertArrayEquals(expectedBits, read(vertx, context, connection, FunctionCode.COILS, 5, 37));
            assertArrayEquals(expectedBits, read(vertx, context, connection, FunctionCode.DISCRETE_INPUTS, 5, 37));
            // an address the device does not have: pymodbus answers with an exception, reported as such
            CompletableFuture<Throwable> failure = new CompletableFuture<>();
            context.runOnContext(v -> connection.read(1, request(FunctionCode.INPUT_REGISTERS, 190, 20), 2000)
                    .onComplete(ar -> failure.complete(ar.cause())));
            Throwable t = failure.get(10, TimeUnit.SECONDS);
            assertTrue(t instanceof ModbusReadException m && m.kind() == ModbusReadException.Kind.EXCEPTION_RESPONSE, String.valueOf(t));
        } finally {
            device.destroy();
            device.waitFor(5, TimeUnit.SECONDS);
            vertx.close();
        }
    }

    @Test
    void unitsOfAPymodbusGatewayShareOneConnectionAndASilentUnitCostsOnlyItsTimeout() throws Exception {
        assertTrue(Files.isExecutable(Path.of(PYTHON)), "needs " + PYTHON + " with python3-pymodbus (apt-get install python3-pymodbus)");
        int port = FreePorts.one();
        Path script = Files.createTempFile("pymodbus_gateway", ".py");
        Files.write(script, InteropTest.class.getResourceAsStream("/interop/pymodbus_gateway.py").readAllBytes());
        Process gateway = new ProcessBuilder(PYTHON, script.toString(), Integer.toString(port)).redirectErrorStream(true).start();
        Vertx vertx = Vertx.vertx();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("READY", out.readLine(), "pymodbus did not start (is python3-pymodbus installed?)");
            Context context = vertx.getOrCreateContext();
            ModbusTcpConnection connection = new ModbusTcpConnection(vertx, context, vertx.createNetClient(), "127.0.0.1", port,
                    new Backoff(Duration.ofMillis(50), Duration.ofMillis(200)), Duration.ZERO, 3);
            context.runOnContext(v -> connection.open());
            read(vertx, context, connection, FunctionCode.INPUT_REGISTERS, 0, 1); // wait for the connection
            ReadRequest twenty = request(FunctionCode.INPUT_REGISTERS, 10, 20);
            // the missing unit and both real ones asked at once: the connection takes them in turn,
            // the missing unit's request times out on its own and the others are answered after it
            CompletableFuture<int[]> missing = ContextReads.read(context, connection, 3, twenty, 300);
            CompletableFuture<int[]> one = ContextReads.read(context, connection, 1, twenty, 2000);
            CompletableFuture<int[]> two = ContextReads.read(context, connection, 2, twenty, 2000);
            for (int u = 1; u <= 2; u++) {
                int[] expected = new int[20];
                for (int i = 0; i < 20; i++) {
                    expected[i] = ((10 + i) * 397 + u * 1000) % 65536;
                }
                assertArrayEquals(expected, (u == 1 ? one : two).get(10, TimeUnit.SECONDS), "unit " + u);
            }
            java.util.concurrent.ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
                    java.util.concurrent.ExecutionException.class, () -> missing.get(10, TimeUnit.SECONDS));
            ModbusReadException m = (ModbusReadException) e.getCause();
            assertEquals(ModbusReadException.Kind.TIMEOUT, m.kind());
            assertEquals("no response to fc4 10+20 from unit 3 within 300 ms", m.getMessage());
            assertTrue(m.unitSilent());
            CompletableFuture<long[]> counts = new CompletableFuture<>();
            context.runOnContext(v -> counts.complete(new long[] { connection.connects(), connection.disconnects() }));
            assertArrayEquals(new long[] { 1, 0 }, counts.get(5, TimeUnit.SECONDS), "one connection, never dropped");
        } finally {
            gateway.destroy();
            gateway.waitFor(5, TimeUnit.SECONDS);
            vertx.close();
        }
    }

    @Test
    void mbpollReadsWhatTheSimulatorServes() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/mbpoll")), "needs mbpoll (apt-get install mbpoll)");
        Vertx vertx = Vertx.vertx();
        int port = FreePorts.consecutive(1);
        SimulatorServer sim = new SimulatorServer(vertx, ProfileLoader.load("operation1"), 1, "127.0.0.1", port, 0);
        try {
            sim.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            for (int attempt = 0; attempt < 3; attempt++) {
                long second = System.currentTimeMillis() / 1000;
                Process p = new ProcessBuilder("/usr/bin/mbpoll", "-m", "tcp", "-a", "1", "-t", "3", "-0", "-r", "500", "-c", "89", "-1",
                        "-p", Integer.toString(port), "127.0.0.1").redirectErrorStream(true).start();
                String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(0, p.waitFor(), text);
                if (System.currentTimeMillis() / 1000 != second) {
                    continue; // the image changed during the read; take another
                }
                int[] image = sim.devices().get(0).imageAt(2, second); // area PCS: 500..588
                List<Integer> values = new ArrayList<>();
                Matcher m = Pattern.compile("\\[(\\d+)\\]:\\s+(-?\\d+)").matcher(text);
                while (m.find()) {
                    values.add(Integer.parseInt(m.group(2)) & 0xFFFF);
                }
                assertEquals(89, values.size(), text);
                for (int i = 0; i < 89; i++) {
                    assertEquals(image[i], values.get(i), "register " + (500 + i));
                }
                return;
            }
            throw new AssertionError("every mbpoll read straddled a second");
        } finally {
            sim.stop();
            vertx.close();
        }
    }

    private static ReadRequest request(FunctionCode fc, int start, int count) {
        return new ReadRequest(0, new Area("x", fc, 0, 200), fc, start, count);
    }

    private static int[] read(Vertx vertx, Context context, ModbusTcpConnection c, FunctionCode fc, int start, int count)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            CompletableFuture<int[]> f = ContextReads.read(context, c, 1, request(fc, start, count), 2000);
            try {
                return f.get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof ModbusReadException m) || m.kind() != ModbusReadException.Kind.NOT_CONNECTED
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50); // still connecting
            }
        }
    }

}
