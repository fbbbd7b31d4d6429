package org.openess.gateway.sunspec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.openess.gateway.simulator.SimulatorServer;
import org.openess.gateway.simulator.Simulators;
import org.openess.gateway.simulator.SunSpecSimulatedDevice;
import org.openess.gateway.testsupport.FreePorts;
import org.openess.gateway.testsupport.InteropToolsTest;

import io.vertx.core.Vertx;

/** mbpoll, an independent Modbus client, reads the simulated SunSpec chain: the marker, headers and values served. */
@InteropToolsTest
class SunSpecInteropTest {

    @Test
    void mbpollReadsTheSimulatedChain() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/mbpoll")), "needs mbpoll (apt-get install mbpoll)");
        Vertx vertx = Vertx.vertx();
        int port = FreePorts.one();
        SimulatorServer sim = Simulators.create(vertx, "sunspec:1,802,803,804:strings=2:modules=4", 1, "127.0.0.1", port, 0);
        try {
            sim.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            SunSpecSimulatedDevice device = (SunSpecSimulatedDevice) sim.registers().get(0);
            for (int attempt = 0; attempt < 3; attempt++) {
                long second = System.currentTimeMillis() / 1000;
                // the marker, model 1 and model 802 (40000..40133), holding registers, 0-based addresses
                Process p = new ProcessBuilder("/usr/bin/mbpoll", "-m", "tcp", "-a", "1", "-t", "4", "-0", "-r", "40000", "-c", "120",
                        "-1", "-p", Integer.toString(port), "127.0.0.1").redirectErrorStream(true).start();
                String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(0, p.waitFor(), text);
                if (System.currentTimeMillis() / 1000 != second) {
                    continue; // the image changed during the read; take another
                }
                int[] image = device.imageAt(second);
                List<Integer> values = new ArrayList<>();
                Matcher m = Pattern.compile("\\[(\\d+)\\]:\\s+(-?\\d+)").matcher(text);
                while (m.find()) {
                    values.add(Integer.parseInt(m.group(2)) & 0xFFFF);
                }
                assertEquals(120, values.size(), text);
                assertEquals(List.of(0x5375, 0x6E53, 1, 66), values.subList(0, 4), "SunS, then model 1 of length 66");
                assertEquals(List.of(802, 62), values.subList(70, 72), "model 802 after model 1");
                for (int i = 0; i < 120; i++) {
                    assertEquals(image[i], values.get(i), "register " + (40000 + i));
                }
                return;
            }
            throw new AssertionError("every mbpoll read straddled a second");
        } finally {
            sim.stop();
            vertx.close();
        }
    }
}
