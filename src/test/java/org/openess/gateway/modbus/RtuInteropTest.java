package org.openess.gateway.modbus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openess.gateway.modbus.ContextReads.failure;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.openess.gateway.plan.ReadRequest;
import org.openess.gateway.profile.Area;
import org.openess.gateway.profile.FunctionCode;
import org.openess.gateway.retry.Backoff;
import org.openess.gateway.testsupport.FreePorts;
import org.openess.gateway.testsupport.InteropToolsTest;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Our RTU framing against an independent implementation, pymodbus (Debian's python3-pymodbus):
 * the frames its RTU framer builds (requests, answers, exceptions) are ours byte for byte and
 * parse to the same values, damaged ones are refused; and our RTU bus reads a pymodbus server
 * that speaks RTU framing over TCP (as a serial-to-Ethernet converter), with a silent unit on it.
 */
@InteropToolsTest
class RtuInteropTest {
    private static final String PYTHON = "/usr/bin/python3";

    /** pymodbus' RTU framer builds each frame; printed as "name hex". */
    private static final String FRAMER = """
            from pymodbus.framer.rtu_framer import ModbusRtuFramer
            from pymodbus.factory import ClientDecoder
            from pymodbus.register_read_message import (ReadHoldingRegistersRequest, ReadInputRegistersRequest,
                ReadHoldingRegistersResponse, ReadInputRegistersResponse)
            from pymodbus.bit_read_message import ReadCoilsRequest, ReadCoilsResponse, ReadDiscreteInputsResponse
            from pymodbus.pdu import ExceptionResponse
            f = ModbusRtuFramer(ClientDecoder())
            frames = {
                'req_hr_1_0_10': ReadHoldingRegistersRequest(0, 10, unit=1),
                'req_ir_17_107_3': ReadInputRegistersRequest(107, 3, unit=17),
                'req_co_247_19_37': ReadCoilsRequest(19, 37, unit=247),
                'resp_hr_17': ReadHoldingRegistersResponse([0x1234, 0xABCD, 7], unit=17),
                'resp_ir_2': ReadInputRegistersResponse([65535, 0, 32768, 1], unit=2),
                'resp_co_3': ReadCoilsResponse([True, False, True, True, False, False, False, False, True], unit=3),
                'resp_di_9': ReadDiscreteInputsResponse([False, True, True], unit=9),
                'exc_hr_5_2': ExceptionResponse(3, 2, unit=5),
                'exc_ir_1_4': ExceptionResponse(4, 4, unit=1),
            }
            for name, message in frames.items():
                print(name, f.buildPacket(message).hex())
            """;

    static ReadRequest read(FunctionCode f, int start, int count) {
        return new ReadRequest(0, new Area("a", f, 0, 65536), f, start, count);
    }

    @Test
    void pymodbusFramesAreOursByteForByte() throws Exception {
        assertTrue(Files.isExecutable(Path.of(PYTHON)), "needs " + PYTHON + " with python3-pymodbus");
        Process p = new ProcessBuilder(PYTHON, "-c", FRAMER).redirectErrorStream(true).start();
        Map<String, byte[]> frames = new HashMap<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                String[] f = line.split(" ");
                assertEquals(2, f.length, "pymodbus printed: " + line);
                frames.put(f[0], java.util.HexFormat.of().parseHex(f[1]));
            }
        }
        assertEquals(0, p.waitFor(), "pymodbus framer");
        assertEquals(9, frames.size(), frames.keySet().toString());

        assertArrayEquals(frames.get("req_hr_1_0_10"), RtuFrames.request(1, read(FunctionCode.HOLDING_REGISTERS, 0, 10)));
        assertEquals("01 03 00 00 00 0A C5 CD", RtuFrames.hex(frames.get("req_hr_1_0_10"), 8));
        assertArrayEquals(frames.get("req_ir_17_107_3"), RtuFrames.request(17, read(FunctionCode.INPUT_REGISTERS, 107, 3)));
        assertArrayEquals(frames.get("req_co_247_19_37"), RtuFrames.request(247, read(FunctionCode.COILS, 19, 37)));

        assertArrayEquals(new int[] { 0x1234, 0xABCD, 7 },
                RtuFrames.parseResponse(read(FunctionCode.HOLDING_REGISTERS, 0, 3), 17, frames.get("resp_hr_17")));
        assertArrayEquals(new int[] { 65535, 0, 32768, 1 },
                RtuFrames.parseResponse(read(FunctionCode.INPUT_REGISTERS, 0, 4), 2, frames.get("resp_ir_2")));
        assertArrayEquals(new int[] { 1, 0, 1, 1, 0, 0, 0, 0, 1 },
                RtuFrames.parseResponse(read(FunctionCode.COILS, 0, 9), 3, frames.get("resp_co_3")));
        assertArrayEquals(new int[] { 0, 1, 1 }, RtuFrames.parseResponse(read(FunctionCode.DISCRETE_INPUTS, 0, 3), 9, frames.get("resp_di_9")));
        assertArrayEquals(frames.get("exc_hr_5_2"), RtuFrames.exceptionResponse(5, 3, 2));
        assertArrayEquals(frames.get("exc_ir_1_4"), RtuFrames.exceptionResponse(1, 4, 4));
        ModbusReadException e = assertThrows(ModbusReadException.class,
                () -> RtuFrames.parseResponse(read(FunctionCode.INPUT_REGISTERS, 0, 1), 1, frames.get("exc_ir_1_4")));
        assertEquals(4, e.exceptionCode());

        // damaged: a flipped bit (bad CRC), cut short, another unit
        byte[] flipped = frames.get("resp_hr_17").clone();
        flipped[4] ^= 0x01;
        assertEquals("RTU frame with a wrong CRC", assertThrows(ModbusReadException.class,
                () -> RtuFrames.parseResponse(read(FunctionCode.HOLDING_REGISTERS, 0, 3), 17, flipped)).getMessage());
        byte[] shortFrame = java.util.Arrays.copyOf(frames.get("resp_hr_17"), 3);
        assertEquals(ModbusReadException.Kind.BAD_FRAME, assertThrows(ModbusReadException.class,
                () -> RtuFrames.parseResponse(read(FunctionCode.HOLDING_REGISTERS, 0, 3), 17, shortFrame)).kind());
        RtuReceiver receiver = new RtuReceiver();
        receiver.expect(2, 3);
        byte[] otherUnit = frames.get("resp_hr_17");
        assertEquals(RtuReceiver.Result.NONE, receiver.feed(otherUnit, 0, otherUnit.length));
        assertEquals(1, receiver.wrongUnit());
    }

    @Test
    void ourBusReadsPymodbusSpeakingRtuOverTcp() throws Exception {
        assertTrue(Files.isExecutable(Path.of(PYTHON)), "needs " + PYTHON + " with python3-pymodbus");
        int port = FreePorts.one();
        Path script = Files.createTempFile("pymodbus_rtu_tcp_server", ".py");
        Files.write(script, RtuInteropTest.class.getResourceAsStream("/interop/pymodbus_rtu_tcp_server.py").readAllBytes());
        Process device = new ProcessBuilder(PYTHON, script.toString(), Integer.toString(port)).redirectErrorStream(true).start();
        Vertx vertx = Vertx.vertx();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(device.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("READY", out.readLine(), "pymodbus did not start (is python3-pymodbus installed?)");
            Context context = vertx.getOrCreateContext();
            RtuBus bus = ContextReads.openRtuBus(vertx, context, port, new Backoff(Duration.ofMillis(50), Duration.ofMillis(200)), 8,
                    5);
            for (int unit = 1; unit <= 2; unit++) {
                int[] words = new int[125];
                for (int i = 0; i < 125; i++) {
                    words[i] = (i * 397 + unit) % 65536;
                }
                assertArrayEquals(words, read(context, bus, unit, read(FunctionCode.INPUT_REGISTERS, 0, 125)).get(10, TimeUnit.SECONDS));
                assertArrayEquals(java.util.Arrays.copyOfRange(words, 75, 85),
                        read(context, bus, unit, read(FunctionCode.HOLDING_REGISTERS, 75, 10)).get(10, TimeUnit.SECONDS));
                int[] bits = new int[37];
                for (int i = 0; i < 37; i++) {
                    bits[i] = (i + 5) % 3 == 0 ? 1 : 0;
                }
                assertArrayEquals(bits, read(context, bus, unit, read(FunctionCode.COILS, 5, 37)).get(10, TimeUnit.SECONDS));
                assertArrayEquals(bits, read(context, bus, unit, read(FunctionCode.DISCRETE_INPUTS, 5, 37)).get(10, TimeUnit.SECONDS));
            }
            // unit 3 is on nobody's address: it times out, and unit 1 answers right after on the same bus
            CompletableFuture<int[]> silent = read(context, bus, 3, read(FunctionCode.HOLDING_REGISTERS, 0, 1), 300);
            CompletableFuture<int[]> after = read(context, bus, 1, read(FunctionCode.HOLDING_REGISTERS, 0, 1), 2000);
            assertEquals(ModbusReadException.Kind.TIMEOUT, ((ModbusReadException) failure(silent)).kind());
            assertArrayEquals(new int[] { 1 }, after.get(10, TimeUnit.SECONDS));
            // an address pymodbus does not have: an exception answer, in RTU framing
            ModbusReadException e = (ModbusReadException) failure(read(context, bus, 2, read(FunctionCode.INPUT_REGISTERS, 190, 20)));
            assertEquals(ModbusReadException.Kind.EXCEPTION_RESPONSE, e.kind());
            assertEquals(2, e.exceptionCode());
            assertEquals(0, bus.crcErrors());
            assertEquals(List.of(1L), List.of(bus.timeouts()));
            context.runOnContext(v -> bus.close());
        } finally {
            device.destroy();
            device.waitFor(5, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    static CompletableFuture<int[]> read(Context context, RtuBus bus, int unit, ReadRequest r) {
        return read(context, bus, unit, r, 2000);
    }

    static CompletableFuture<int[]> read(Context context, RtuBus bus, int unit, ReadRequest r, long timeoutMillis) {
        return ContextReads.read(context, bus, unit, r, timeoutMillis);
    }
}
