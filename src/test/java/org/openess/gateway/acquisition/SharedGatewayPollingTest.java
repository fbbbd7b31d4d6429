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
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openess.gateway.decode.CycleDecoder;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.logging.LineBudget;
import org.openess.gateway.modbus.ModbusReadException;
import org.openess.gateway.plan.PlanLimits;
import org.openess.gateway.plan.RequestPlanner;
import org.openess.gateway.profile.Profile;
import org.openess.gateway.profile.ProfileLoader;
import org.openess.gateway.retry.Backoff;
import org.openess.gateway.status.DeviceStateLog;
import org.openess.gateway.status.StateLog;
import org.openess.gateway.testsupport.ModbusTestGateway;
import org.openess.gateway.testsupport.ModbusTestGateway.Behaviour;
import org.openess.gateway.testsupport.UnitTest;

import io.vertx.core.Vertx;

/**
 * Several operation1 devices behind one Modbus TCP→RTU gateway (real TCP on loopback, the
 * production pollers and connection): they share one connection with their requests serialised,
 * a dead unit costs the others nothing beyond its own timeouts, busy answers are retried once,
 * and the state log ({@link StateLog}, fed by the pollers as in the service) says what changed
 * instead of repeating itself.
 */
@UnitTest
class SharedGatewayPollingTest {
    static final Profile PROFILE = ProfileLoader.load("operation1");
    static final CycleDecoder DECODER = new CycleDecoder(PROFILE, RequestPlanner.plan(PROFILE, PlanLimits.DEFAULT),
            CycleDecoder.layoutsOf(PROFILE));
    static final int READS = DECODER.plan().reads().size();

    Vertx vertx;
    ModbusTestGateway gateway;
    final Queue<CycleOutput> outputs = new ConcurrentLinkedQueue<>();
    final Map<String, DevicePoller> pollers = new TreeMap<>();
    final List<String> logLines = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<Logger> capturedLoggers = new ArrayList<>();
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            String text = r instanceof org.jboss.logmanager.ExtLogRecord e ? e.getFormattedMessage() : r.getMessage();
            logLines.add(r.getLevel() + " " + text);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        gateway = new ModbusTestGateway(vertx, PROFILE, 2);
        for (String name : List.of(DeviceStateLog.class.getName(), "org.openess.gateway.modbus.ModbusTcpConnection")) {
            Logger l = Logger.getLogger(name);
            l.setLevel(Level.INFO);
            l.addHandler(capture);
            capturedLoggers.add(l);
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        capturedLoggers.forEach(l -> l.removeHandler(capture));
        gateway.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static DeviceDefinition device(String id, int port, int unit, Duration timeout, Duration requestGap) {
        return new DeviceDefinition(id, "127.0.0.1", port, unit, Duration.ofSeconds(1), timeout, requestGap, Duration.ZERO, PROFILE,
                DECODER);
    }

    void poll(Duration logSummaryInterval, DeviceDefinition... devices) throws Exception {
        List<DevicePoller> group = new ArrayList<>();
        StateLog stateLog = new StateLog(new LineBudget(20, Duration.ofSeconds(10)), logSummaryInterval,
                java.util.Arrays.stream(devices).map(DeviceDefinition::id).toList(), System.currentTimeMillis());
        vertx.setPeriodic(200, id -> stateLog.flush(System.currentTimeMillis()));
        CycleSink sink = new CycleSink() {
            @Override
            public void accept(CycleOutput output) {
                outputs.add(output);
            }

            @Override
            public void stateChanged(DeviceDefinition device, DeviceHealth before, DeviceHealth after) {
                stateLog.stateChanged(device.id(), before, after, System.currentTimeMillis());
            }
        };
        for (DeviceDefinition d : devices) {
            DevicePoller p = new DevicePoller(d, sink, new DeviceStats(), Duration.ofMillis(20));
            group.add(p);
            pollers.put(d.id(), p);
        }
        EndpointPoller endpoint = new EndpointPoller("127.0.0.1", devices[0].port(), group,
                new Backoff(Duration.ofMillis(50), Duration.ofMillis(200)), 3);
        vertx.deployVerticle(endpoint).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Waits until every poller has finished {@code cycles} more cycles than it had at the call. */
    void waitCycles(int cycles) throws Exception {
        Map<String, Long> start = new TreeMap<>();
        pollers.forEach((id, p) -> start.put(id, p.stats().cyclesComplete() + p.stats().cyclesPartial()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(cycles + 10);
        for (Map.Entry<String, DevicePoller> e : pollers.entrySet()) {
            DeviceStats s = e.getValue().stats();
            while (s.cyclesComplete() + s.cyclesPartial() < start.get(e.getKey()) + cycles) {
                assertTrue(System.nanoTime() < deadline, e.getKey() + " did not finish " + cycles + " cycles");
                Thread.sleep(50);
            }
        }
    }

    /** Ticks of {@code device} in [from, to] whose cycle read everything (no gap). */
    long completeTicks(String device, long from, long to) {
        return outputs.stream().filter(o -> o.device().equals(device) && o.tickMillis() >= from && o.tickMillis() <= to)
                .filter(o -> o.gaps().isEmpty() && !o.rows().isEmpty()).map(CycleOutput::tickMillis).distinct().count();
    }

    /**
     * Checks that every tick of {@code device} in [from, to] has all its rows, except ticks the
     * machine itself lost (the shared 2-core test machine can stall the event loop past a tick;
     * the poller records those with their own reason, and they say nothing about the gateway).
     */
    void assertFullRate(String device, long from, long to) {
        long ticks = (to - from) / 1000 + 1;
        long complete = completeTicks(device, from, to);
        List<String> otherGaps = outputs.stream().filter(o -> o.device().equals(device) && o.tickMillis() >= from && o.tickMillis() <= to)
                .flatMap(o -> o.gaps().stream()).map(g -> g.reason()).filter(r -> !r.equals("tick missed: the gateway was stalled"))
                .distinct().toList();
        long stalled = outputs.stream().filter(o -> o.device().equals(device) && o.tickMillis() >= from && o.tickMillis() <= to)
                .filter(o -> o.rows().isEmpty() && !o.gaps().isEmpty()
                        && o.gaps().stream().allMatch(g -> g.reason().equals("tick missed: the gateway was stalled")))
                .count();
        assertEquals(List.of(), otherGaps, device + " lost rows for another reason than a stalled machine");
        assertEquals(ticks, complete + stalled, device + ": " + complete + " complete ticks, " + stalled + " lost to machine stalls");
        assertTrue(complete >= 1, device);
    }

    /**
     * Failure counts without "not connected": a first tick can come a few ms after the start,
     * before the connection is up (the reads it fails are counted apart and were never sent).
     */
    static List<DeviceStats.FailureCount> failuresOnTheWire(DeviceStats s) {
        return s.failureCounts().stream().filter(f -> !f.kind().equals("not-connected")).toList();
    }

    static long sent(DeviceStats s) {
        return s.readsFailed() - s.readsFailed(ModbusReadException.Kind.NOT_CONNECTED);
    }

    long lines(String device, String what) {
        synchronized (logLines) {
            return logLines.stream().filter(l -> l.contains("device " + device + " " + what)).count();
        }
    }

    @Test
    void aDeadUnitCostsTheOthersNothingAndIsLoggedOnceThenSummarised() throws Exception {
        int port = gateway.unit(1, Behaviour.ANSWER).unit(2, Behaviour.ANSWER).unit(3, Behaviour.ANSWER).unit(4, Behaviour.SILENT)
                .start();
        Duration timeout = Duration.ofMillis(250);
        poll(Duration.ofSeconds(2), device("u1", port, 1, timeout, Duration.ZERO), device("u2", port, 2, timeout, Duration.ZERO),
                device("u3", port, 3, timeout, Duration.ZERO), device("u4", port, 4, timeout, Duration.ZERO));
        waitCycles(1); // connected and past the first tick
        long from = pollers.get("u1").stats().lastTickMillis() + 1000;
        long requestsToDeadBefore = gateway.requests(4);
        Map<String, Long> partialBefore = new TreeMap<>();
        pollers.forEach((id, p) -> partialBefore.put(id, p.stats().cyclesPartial()));
        waitCycles(6);
        long to = from + 5000;

        for (String live : List.of("u1", "u2", "u3")) {
            DeviceStats s = pollers.get(live).stats();
            assertFullRate(live, from, to);
            assertEquals(partialBefore.get(live), s.cyclesPartial(), live);
            assertEquals(DeviceState.OK, s.health().state(), live);
        }
        DeviceHealth dead = pollers.get("u4").stats().health();
        assertEquals(DeviceState.OFFLINE, dead.state());
        assertEquals(ModbusReadException.Kind.TIMEOUT, dead.lastErrorKind());
        assertTrue(dead.lastError().startsWith("no response to fc"), dead.lastError());
        assertTrue(dead.consecutiveFailedCycles() >= 6, dead.toString());
        assertEquals(List.of(new DeviceStats.FailureCount("timeout", 0, sent(pollers.get("u4").stats()))),
                failuresOnTheWire(pollers.get("u4").stats()));
        assertEquals(0, dead.lastSuccessfulReadMillis());
        assertTrue(dead.connected(), "the shared connection stays up");
        // while offline it costs one timeout per cycle: the rest of its reads are skipped
        long deadRequests = gateway.requests(4) - requestsToDeadBefore;
        assertTrue(deadRequests <= 8, "requests to the dead unit in ~6 cycles: " + deadRequests);
        assertTrue(pollers.get("u4").stats().readsSkipped() >= 6L * (READS - 1), "skipped " + pollers.get("u4").stats().readsSkipped());
        assertEquals(1, gateway.connections(), "one connection for all four units");
        assertEquals(0, gateway.overlaps(), "requests were serialised");

        // the unit comes back: one recovery line, and the gateway still saw a single connection
        gateway.unit(4, Behaviour.ANSWER);
        waitCycles(2);
        assertEquals(DeviceState.OK, pollers.get("u4").stats().health().state());
        assertEquals(1, gateway.connections());

        synchronized (logLines) {
            assertEquals(1, lines("u4", "is offline"), logLines.toString());
            long summaries = logLines.stream().filter(l -> l.contains("1 device(s) not ok: 1 offline (")).count();
            assertTrue(summaries >= 2 && summaries <= 4, "one count of the bad devices per 2 s over ~7 s, got " + summaries + ": "
                    + logLines);
            assertEquals(1, lines("u4", "is ok again"), logLines.toString());
            for (String live : List.of("u1", "u2", "u3")) {
                assertEquals(0, lines(live, ""), logLines.toString());
            }
            assertTrue(logLines.size() <= 6, "a dead unit for ~7 s wrote " + logLines.size() + " lines: " + logLines);
        }
    }

    @Test
    void gatewayExceptionsAreReportedPerUnitAndBusyAnswersAreRetriedOnce() throws Exception {
        int port = gateway.unit(1, Behaviour.BUSY_EVERY_OTHER).unit(2, Behaviour.BUSY_ALWAYS).unit(3, Behaviour.ANSWER)
                .unit(4, Behaviour.TARGET_FAILED).start();
        Duration timeout = Duration.ofMillis(500);
        poll(Duration.ofMinutes(5), device("busy-then-ok", port, 1, timeout, Duration.ZERO),
                device("always-busy", port, 2, timeout, Duration.ZERO), device("fine", port, 3, timeout, Duration.ZERO),
                device("unreachable", port, 4, timeout, Duration.ZERO));
        waitCycles(1);
        long from = pollers.get("fine").stats().lastTickMillis() + 1000;
        waitCycles(4);
        long to = from + 3000;

        // every first attempt is answered "busy", every retry succeeds: nothing is lost
        DeviceStats busyOnce = pollers.get("busy-then-ok").stats();
        assertFullRate("busy-then-ok", from, to);
        assertEquals(0, sent(busyOnce));
        assertEquals(busyOnce.readsOk(), busyOnce.busyRetries());
        assertEquals(busyOnce.readsOk(), busyOnce.exceptionResponses(6));
        assertEquals(DeviceState.OK, busyOnce.health().state());

        // always busy: exactly one retry per read, then the read fails as exception 06; it answers, so degraded
        DeviceStats busy = pollers.get("always-busy").stats();
        assertEquals(0, busy.readsOk());
        assertEquals(sent(busy), busy.busyRetries());
        assertEquals(2 * sent(busy), gateway.requests(2), "one request and one retry per read");
        DeviceHealth h = busy.health();
        assertEquals(DeviceState.DEGRADED, h.state());
        assertEquals(ModbusReadException.Kind.EXCEPTION_RESPONSE, h.lastErrorKind());
        assertEquals(6, h.lastExceptionCode());
        assertEquals(List.of(new DeviceStats.FailureCount("exception-response", 6, sent(busy))), failuresOnTheWire(busy));

        // 0B: offline, reported for the unit only; the link and the other units are unaffected
        DeviceStats unreachable = pollers.get("unreachable").stats();
        assertEquals(DeviceState.OFFLINE, unreachable.health().state());
        assertEquals(11, unreachable.health().lastExceptionCode());
        assertEquals(List.of(new DeviceStats.FailureCount("exception-response", 11, sent(unreachable))),
                failuresOnTheWire(unreachable));
        assertEquals("device answered exception 11 (gateway target device failed to respond)", unreachable.health().lastError());
        assertTrue(gateway.requests(4) <= 2 + 5, "offline: one request per cycle, got " + gateway.requests(4));
        assertFullRate("fine", from, to);
        assertEquals(1, gateway.connections());
        assertEquals(0, gateway.overlaps());
        assertNotNull(unreachable.health().lastErrorKindLabel());
    }

    @Test
    void aRequestGapSpacesTheReadsOfACycle() throws Exception {
        int port = gateway.unit(1, Behaviour.ANSWER).start();
        poll(Duration.ofMinutes(5), device("slow", port, 1, Duration.ofMillis(500), Duration.ofMillis(60)));
        waitCycles(3);
        DeviceStats s = pollers.get("slow").stats();
        assertEquals(DeviceState.OK, s.health().state());
        assertTrue(s.lastCycleMicros() >= (READS - 1) * 60_000L, "a cycle of " + READS + " reads with 60 ms gaps took "
                + s.lastCycleMicros() + " µs");
    }
}
