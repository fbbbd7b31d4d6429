package org.openess.gateway.acquisition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openess.gateway.decode.CycleDecoder;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.decode.GapEvent;
import org.openess.gateway.modbus.ModbusReadException;
import org.openess.gateway.modbus.Transport;
import org.openess.gateway.plan.PlanLimits;
import org.openess.gateway.plan.RequestPlanner;
import org.openess.gateway.profile.Profile;
import org.openess.gateway.profile.ProfileLoader;
import org.openess.gateway.retry.Backoff;
import org.openess.gateway.simulator.SimulatorServer;
import org.openess.gateway.testsupport.FreePorts;
import org.openess.gateway.testsupport.UnitTest;

import io.vertx.core.Vertx;

/**
 * Three operation1 devices on one RTU bus over TCP (the simulator's {@code rtu-over-tcp}, the
 * production pollers, bus and framing, real TCP on loopback), one of them silent: the two that
 * answer have every tick complete, the silent one costs at most one timeout per cycle and is
 * backed off with its skipped ticks recorded as gaps, and the bus reports its time per cycle.
 */
@UnitTest
class RtuOverTcpPollingTest {
    static final Profile PROFILE = ProfileLoader.load("operation1");
    static final CycleDecoder DECODER = new CycleDecoder(PROFILE, RequestPlanner.plan(PROFILE, PlanLimits.DEFAULT),
            CycleDecoder.layoutsOf(PROFILE));

    Vertx vertx;
    SimulatorServer simulator;
    final Queue<CycleOutput> outputs = new ConcurrentLinkedQueue<>();
    final Map<String, DevicePoller> pollers = new TreeMap<>();
    EndpointPoller endpoint;

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (simulator != null) {
            simulator.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static DeviceDefinition device(String id, int port, int unit) {
        return new DeviceDefinition(id, "127.0.0.1", port, unit, Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ZERO,
                Duration.ZERO, PROFILE, DECODER, null, Transport.RTU_OVER_TCP, null);
    }

    /** The production pollers of {@code devices}, sharing one bus to the simulator on {@code port}. */
    void pollBus(int port, DeviceDefinition... devices) throws Exception {
        List<DevicePoller> group = new ArrayList<>();
        for (DeviceDefinition d : devices) {
            DevicePoller p = new DevicePoller(d, outputs::add, new DeviceStats(), Duration.ofMillis(20));
            group.add(p);
            pollers.put(d.id(), p);
        }
        endpoint = new EndpointPoller("127.0.0.1", port, group, new Backoff(Duration.ofMillis(50), Duration.ofMillis(200)), 3);
        vertx.deployVerticle(endpoint).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aSilentUnitDoesNotCostTheOthersATick() throws Exception {
        int port = FreePorts.one();
        // two simulated devices: units 1 and 2 answer, unit 3 is nobody
        simulator = new SimulatorServer(vertx, PROFILE, 2, "127.0.0.1", port, 0).rtuOverTcp();
        simulator.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        pollBus(port, device("a", port, 1), device("b", port, 2), device("silent", port, 3));

        waitCycles("a", 2);
        long from = pollers.get("a").stats().lastTickMillis() + 1000;
        waitCycles("a", 9);
        long to = from + 8000;

        for (String live : List.of("a", "b")) {
            List<CycleOutput> mine = outputs.stream().filter(o -> o.device().equals(live) && o.tickMillis() >= from && o.tickMillis() <= to)
                    .toList();
            List<String> reasons = mine.stream().flatMap(o -> o.gaps().stream()).map(GapEvent::reason).distinct().toList();
            long stalled = reasons.isEmpty() ? 0
                    : mine.stream().filter(o -> o.gaps().stream().allMatch(g -> g.reason().equals("tick missed: the gateway was stalled")))
                            .count();
            assertTrue(reasons.stream().allMatch(r -> r.equals("tick missed: the gateway was stalled")), live + ": " + reasons);
            long complete = mine.stream().filter(o -> o.gaps().isEmpty() && o.rows().size() == 11).map(CycleOutput::tickMillis).distinct()
                    .count();
            assertEquals(9, complete + stalled, live + ": complete ticks");
            assertEquals(DeviceState.OK, pollers.get(live).stats().health().state(), live);
        }

        DeviceStats silent = pollers.get("silent").stats();
        assertEquals(DeviceState.OFFLINE, silent.health().state());
        assertEquals(ModbusReadException.Kind.TIMEOUT, silent.health().lastErrorKind());
        List<CycleOutput> silentTicks = outputs.stream().filter(o -> o.device().equals("silent") && o.tickMillis() >= from
                && o.tickMillis() <= to).toList();
        assertEquals(9, silentTicks.stream().map(CycleOutput::tickMillis).distinct().count(), "every tick of the silent unit is accounted for");
        assertTrue(silentTicks.stream().allMatch(o -> o.rows().isEmpty() && !o.gaps().isEmpty()));
        long backedOff = silentTicks.stream().filter(o -> o.gaps().get(0).reason().equals(SilenceBackoff.reason(3))).count();
        assertTrue(backedOff >= 4, "ticks skipped by the backoff in 9 s: " + backedOff);
        // one timeout per cycle it was tried in, never more: the rest of its cycle is skipped
        long tried = silentTicks.size() - backedOff;
        assertTrue(silent.readsFailed(ModbusReadException.Kind.TIMEOUT) <= tried + 3,
                silent.readsFailed(ModbusReadException.Kind.TIMEOUT) + " timeouts in " + tried + " tried cycles (+ the first ones)");

        BusStatus bus = endpoint.bus();
        assertNotNull(bus);
        assertEquals("127.0.0.1:" + port, bus.name());
        assertEquals("rtu-over-tcp", bus.transport());
        assertEquals(List.of("a", "b", "silent"), bus.devices());
        assertTrue(bus.connected());
        assertEquals(1000, bus.pollIntervalMillis());
        assertTrue(bus.busTimePerCycleMillis() > 0, bus.toString());
        assertTrue(!bus.overBudget(), bus.toString());
        assertEquals(0, bus.crcErrors());
        assertTrue(bus.timeouts() >= 2, bus.toString());
    }

    @Test
    void aBusThatCannotReadItsDevicesEveryCycleSaysSo() throws Exception {
        int port = FreePorts.one();
        simulator = new SimulatorServer(vertx, PROFILE, 3, "127.0.0.1", port, 0).rtuOverTcp();
        // a slow line: 7 reads of 60 ms per device, three devices: about 1.3 s of bus time per 1 s cycle
        simulator.setResponseDelayMillis(60);
        simulator.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        pollBus(port, device("a", port, 1), device("b", port, 2), device("c", port, 3));
        waitCycles("a", 3);
        waitCycles("c", 1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!endpoint.bus().overBudget()) {
            assertTrue(System.nanoTime() < deadline, "never over budget: " + endpoint.bus());
            Thread.sleep(100);
        }
        BusStatus bus = endpoint.bus();
        assertTrue(bus.busTimePerCycleMillis() > 1000, bus.toString());
        assertTrue(bus.utilisation() > 0.5, bus.toString());
        // the devices still finish their cycles; the ticks the bus had no time for are missed, not queued
        assertTrue(pollers.get("a").stats().ticksMissed() >= 1, "missed ticks: " + pollers.get("a").stats().ticksMissed());
    }

    void waitCycles(String id, int cycles) throws Exception {
        DeviceStats s = pollers.get(id).stats();
        long start = s.cyclesComplete() + s.cyclesPartial();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(cycles + 10);
        while (s.cyclesComplete() + s.cyclesPartial() < start + cycles) {
            assertTrue(System.nanoTime() < deadline, id + " did not finish " + cycles + " cycles");
            Thread.sleep(50);
        }
    }
}
