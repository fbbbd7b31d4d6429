package org.openess.gateway.sunspec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openess.gateway.acquisition.CycleSink;
import org.openess.gateway.acquisition.DeviceCatalog;
import org.openess.gateway.acquisition.DevicePoller;
import org.openess.gateway.acquisition.DeviceStats;
import org.openess.gateway.acquisition.EndpointPoller;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.decode.DecodedRow;
import org.openess.gateway.retry.Backoff;
import org.openess.gateway.profile.ProfileLoader;
import org.openess.gateway.profile.TableLayout;
import org.openess.gateway.simulator.SimulatorServer;
import org.openess.gateway.simulator.Simulators;
import org.openess.gateway.testsupport.FreePorts;
import org.openess.gateway.testsupport.TcpDeviceKeys;
import org.openess.gateway.testsupport.UnitTest;

import io.vertx.core.Vertx;

/**
 * The poller with a {@code profile: sunspec} device over loopback Modbus: discovery on connect,
 * tables announced before their first rows, and a firmware update (a different chain behind the
 * same address after a reconnect) picked up instead of decoded with the old layout.
 */
@UnitTest
class SunSpecPollerTest {
    record Device(Optional<String> host, int port, int unitId, String profile, Duration pollInterval, Duration timeout,
            int maxRegisters, int maxGap, boolean enabled) implements TcpDeviceKeys {
    }

    private Vertx vertx;
    private final List<SimulatorServer> servers = new ArrayList<>();
    private final ConcurrentLinkedQueue<CycleOutput> outputs = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<List<String>> announced = new ConcurrentLinkedQueue<>();
    private final CycleSink sink = new CycleSink() {
        @Override
        public void accept(CycleOutput output) {
            outputs.add(output);
        }

        @Override
        public void tablesDiscovered(String device, Collection<TableLayout> layouts) {
            announced.add(layouts.stream().map(TableLayout::table).toList());
        }
    };

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private SimulatorServer serve(String profile, int port) throws Exception {
        SimulatorServer s = Simulators.create(vertx, profile, 1, "127.0.0.1", port, 0);
        s.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        servers.add(s);
        return s;
    }

    private DevicePoller poll(int port) throws Exception {
        DeviceCatalog catalog = DeviceCatalog.fromConfig(Map.of("bat", new Device(Optional.of("127.0.0.1"), port, 1, "sunspec",
                Duration.ofMillis(200), Duration.ofMillis(500), 125, 125, true)), SunSpecSupport.builtin());
        DevicePoller poller = new DevicePoller(catalog.devices().get(0), sink, new DeviceStats(), Duration.ofMillis(100));
        EndpointPoller endpoint = new EndpointPoller("127.0.0.1", port, List.of(poller),
                new Backoff(Duration.ofMillis(50), Duration.ofMillis(200)), 3);
        vertx.deployVerticle(endpoint).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return poller;
    }

    @Test
    void discoversOnConnectAndPicksUpAChangedLayoutAfterReconnect() throws Exception {
        int port = FreePorts.one();
        SimulatorServer before = serve("sunspec:1,802,803,804:strings=2:modules=2", port);
        DevicePoller poller = poll(port);

        waitFor(() -> outputs.stream().anyMatch(o -> !o.rows().isEmpty()), "rows of the first layout");
        assertEquals(List.of(List.of("sunspec_common", "sunspec_battery", "sunspec_lithium_ion_bank", "sunspec_lithium_ion_bank_string",
                "sunspec_lithium_ion_string", "sunspec_lithium_ion_string_module")), List.copyOf(announced));
        CycleOutput first = outputs.stream().filter(o -> !o.rows().isEmpty()).findFirst().orElseThrow();
        // 1 common + 1 battery + 1 bank + 2 bank strings + 2 string models + 2 × 2 modules
        assertEquals(11, first.rows().size(), () -> rows(first));
        assertEquals("polling", poller.sunspec().state());
        assertEquals(40000, poller.sunspec().base());
        String fingerprint = poller.sunspec().fingerprint();

        // firmware update: the same address now serves three strings
        before.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        long switched = System.currentTimeMillis();
        serve("sunspec:1,802,803,804:strings=3:modules=2", port);
        waitFor(() -> poller.sunspec().layoutChanges() == 1, "the changed layout");
        waitFor(() -> outputs.stream().anyMatch(o -> o.rows().size() == 15), "rows of the new layout");
        assertTrue(!fingerprint.equals(poller.sunspec().fingerprint()));
        assertEquals(2, announced.size(), "the new layout's tables are announced again before its rows");
        for (CycleOutput o : outputs) {
            if (o.tickMillis() > switched) {
                // after the switch: nothing decoded with the old layout, only gaps or new-layout rows
                assertTrue(o.rows().isEmpty() || o.rows().size() == 15, () -> "tick " + o.tickMillis() + ": " + rows(o));
            }
        }
        CycleOutput last = outputs.stream().filter(o -> o.rows().size() == 15).reduce((a, b) -> b).orElseThrow();
        List<Object> stringIndexes = last.rows().stream().filter(r -> r.layout().table().equals("sunspec_lithium_ion_string"))
                .map(r -> r.value("Idx")).toList();
        assertEquals(List.of(1, 2, 3), stringIndexes);
        List<Object> modelIndexes = last.rows().stream().filter(r -> r.layout().table().equals("sunspec_lithium_ion_string"))
                .map(r -> r.value(SunSpecProfiles.MODEL_INDEX)).toList();
        assertEquals(List.of(1, 2, 3), modelIndexes);
    }

    @Test
    void aDeviceThatIsNotSunSpecGetsAClearError() throws Exception {
        int port = FreePorts.one();
        SimulatorServer s = new SimulatorServer(vertx, ProfileLoader.load("operation1"), 1, "127.0.0.1", port, 0);
        s.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        DevicePoller poller = poll(port);
        waitFor(() -> "failed".equals(poller.sunspec().state()), "discovery to fail");
        String error = poller.sunspec().error();
        assertTrue(error.startsWith("not a SunSpec device: no 'SunS' marker in holding registers at 40000 ("), error);
        assertTrue(poller.stats().currentError().contains("not a SunSpec device"), poller.stats().currentError());
        assertTrue(outputs.stream().allMatch(o -> o.rows().isEmpty()));
        s.stop();
    }

    private static String rows(CycleOutput o) {
        StringBuilder sb = new StringBuilder();
        for (DecodedRow r : o.rows()) {
            sb.append(r.layout().table()).append(' ');
        }
        return sb + " gaps " + o.gaps();
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
