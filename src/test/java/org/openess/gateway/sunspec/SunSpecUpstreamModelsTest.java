package org.openess.gateway.sunspec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openess.gateway.testsupport.UnitTest;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.decode.DecodedRow;
import org.openess.gateway.decode.RegisterSnapshot;
import org.openess.gateway.plan.PlanLimits;
import org.openess.gateway.plan.ReadRequest;
import org.openess.gateway.profile.TableLayout;
import org.openess.gateway.simulator.SunSpecChain;
import org.openess.gateway.simulator.SunSpecSimulatedDevice;
import org.openess.gateway.testsupport.UpstreamSunSpecModels;

import io.vertx.core.Vertx;

/**
 * The untouched upstream SunSpec {@code json/} folder as {@code ess.sunspec.models-dir}: every file
 * loads, every model plans into reads within the Modbus limit that never cross the model, and a
 * simulated device serving every model at once is discovered and decoded over loopback Modbus
 * without a skipped model, a gap or a quality event. A broken file in a copy of the folder is
 * rejected alone.
 */
@UnitTest
class SunSpecUpstreamModelsTest {
    private static final long TICK = 1_700_000_000_000L;
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static List<Integer> fileIds(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("model_\\d+\\.json"))
                    .map(n -> Integer.valueOf(n.substring(6, n.length() - 5))).sorted().toList();
        }
    }

    @Test
    void everyUpstreamModelFileLoads() throws Exception {
        Path dir = UpstreamSunSpecModels.folder();
        SunSpecModels models = SunSpecModels.load(dir);
        assertEquals(List.of(), models.rejected());
        List<Integer> ids = fileIds(dir);
        assertTrue(ids.size() >= 100, "expected the whole upstream folder, found " + ids.size() + " model files");
        for (int id : ids) {
            assertEquals(id, models.get(id).id(), "model " + id);
            assertTrue(models.get(id).source().startsWith(dir.toString()), "model " + id + " comes from the folder");
        }
        // the shapes that were refused before: free symbol names, default counts, three levels, long strings
        assertTrue(models.get(122).group().point("StActCtl").bits().containsValue("Volt-VAr"));
        SunSpecModel.Group mustTrip = models.get(707).group().groups().get(0).groups().get(0);
        assertEquals("MustTrip", mustTrip.name());
        assertEquals(1, mustTrip.countConstant());
        assertEquals("Pt", mustTrip.groups().get(0).name());
        assertEquals(150, models.get(64411).group().point("VHarA").size());
    }

    @Test
    void everyUpstreamModelIsDiscoveredPlannedAndDecodedFromOneDevice() throws Exception {
        SunSpecModels models = SunSpecModels.load(UpstreamSunSpecModels.folder());
        SunSpecChain chain = SunSpecChain.parse("sunspec:all:strings=2:modules=2:cells=3", models);
        SunSpecSimulatedDevice device = new SunSpecSimulatedDevice(chain, models, 0);
        PlanLimits limits = PlanLimits.DEFAULT;
        SunSpecSession session = new SunSpecSession(new SunSpecSupport(models, SunSpecSupport.DEFAULT_BASES, new SunSpecProfiles()),
                "all", limits);
        Map<Integer, Integer> image = new java.util.TreeMap<>();
        int[] words = device.imageAt(TICK / 1000);
        for (int i = 0; i < words.length; i++) {
            image.put(device.base() + i, words[i]);
        }
        try (ModbusClientHarness h = new ModbusClientHarness(vertx, new StaticRegisters(image))) {
            SunSpecProfiles.Compiled compiled = h.await(c -> session.discover(h.reader(), c.connects()));
            SunSpecLayout layout = compiled.layout();
            assertEquals(List.of(), layout.skipped());
            assertEquals(List.of(), layout.notes());
            // 804 once per string, 805 once per module of every string
            assertEquals(models.all().keySet().stream().toList(), layout.models().stream().map(m -> m.model().id()).distinct().toList());

            for (ReadRequest read : compiled.decoder().plan().reads()) {
                assertTrue(read.count() <= PlanLimits.MODBUS_MAX_REGISTERS, "read " + read);
                assertTrue(read.start() >= read.area().start() && read.end() < read.area().start() + read.area().count(),
                        () -> "read " + read + " leaves " + read.area());
            }
            RegisterSnapshot snapshot = new RegisterSnapshot(compiled.decoder().plan());
            for (ReadRequest read : compiled.decoder().plan().reads()) {
                snapshot.succeeded(read.index(), h.await(c -> c.read(1, read, 2000)));
            }
            CycleOutput out = compiled.decoder().decode("all", TICK, snapshot);
            assertEquals(List.of(), out.gaps());
            assertEquals(List.of(), out.quality());
            // one row per model, per instance of every group at every depth
            List<String> tables = new ArrayList<>();
            for (DecodedRow r : out.rows()) {
                tables.add(r.layout().table());
            }
            assertTrue(out.rows().size() > models.all().size(), "rows " + out.rows().size());
            // 707 (two curve sets, each with MustTrip, MayTrip, MomCess of NPt = 2 points): rows keyed by every enclosing index
            String pt = tables.stream().filter(t -> t.startsWith(SunSpecProfiles.tableName(models.get(707))) && t.endsWith("_musttrip_pt"))
                    .findFirst().orElseThrow();
            List<DecodedRow> ptRows = out.rows().stream().filter(r -> r.layout().table().equals(pt)).toList();
            assertEquals(4, ptRows.size(), pt);
            TableLayout l = ptRows.get(0).layout();
            assertEquals(List.of("MODEL_INDEX", "CRV_INDEX", "MUSTTRIP_INDEX", "PT_INDEX"),
                    l.columns().stream().filter(TableLayout.Column::key).map(TableLayout.Column::name).toList());
            assertEquals(List.of(List.of(1, 1, 1), List.of(1, 1, 2), List.of(2, 1, 1), List.of(2, 1, 2)), ptRows.stream()
                    .map(r -> List.of(r.value("CRV_INDEX"), r.value("MUSTTRIP_INDEX"), r.value("PT_INDEX"))).toList());
            // a string of 150 registers (64411's harmonics) read in two pieces and stored whole
            DecodedRow grid = out.rows().stream().filter(r -> r.layout().table().equals(SunSpecProfiles.tableName(models.get(64411))))
                    .findFirst().orElseThrow();
            assertEquals("VHarA", grid.value("VHarA"));
        }
    }

    @Test
    void aBrokenFileInTheFolderIsRejectedAloneAndItsModelSkipped(@TempDir Path dir) throws Exception {
        Path upstream = UpstreamSunSpecModels.folder();
        for (int id : fileIds(upstream)) {
            Files.copy(upstream.resolve("model_" + id + ".json"), dir.resolve("model_" + id + ".json"));
        }
        // the copy keeps the upstream file's mode, read-only where shared/ is: replace it, do not write into it
        Path broken = dir.resolve("model_704.json");
        String text = Files.readString(broken).replaceFirst("\"type\": \"int16\"", "\"type\": \"int24\"");
        Files.delete(broken);
        Files.writeString(broken, text);
        SunSpecModels models = SunSpecModels.load(dir);
        assertEquals(1, models.rejected().size(), models.rejected().toString());
        RejectedModel r = models.rejected().get(0);
        assertEquals(704, r.id());
        assertTrue(r.point().startsWith("model 704 group 'DERCtlAC'"), r.point());
        assertTrue(r.reason().startsWith("unknown type 'int24'"), r.reason());
        assertEquals(null, models.get(704));
        for (int id : fileIds(upstream)) {
            if (id != 704) {
                assertEquals(id, models.get(id).id(), "model " + id + " still loads");
            }
        }

        // a DER device with 1 and 701-713: 704 is skipped like an unknown model, the others are read
        SunSpecModels all = SunSpecModels.load(upstream);
        SunSpecChain chain = SunSpecChain.parse("sunspec:1,701,702,703,704,705,706,707,708,709,710,711,712,713", all);
        SunSpecSimulatedDevice device = new SunSpecSimulatedDevice(chain, all, 0);
        Map<Integer, Integer> image = new java.util.TreeMap<>();
        int[] words = device.imageAt(TICK / 1000);
        for (int i = 0; i < words.length; i++) {
            image.put(device.base() + i, words[i]);
        }
        SunSpecSession session = new SunSpecSession(new SunSpecSupport(models, SunSpecSupport.DEFAULT_BASES, new SunSpecProfiles()),
                "der", PlanLimits.DEFAULT);
        try (ModbusClientHarness h = new ModbusClientHarness(vertx, new StaticRegisters(image))) {
            SunSpecProfiles.Compiled compiled = h.await(c -> session.discover(h.reader(), c.connects()));
            assertEquals(13, compiled.layout().models().size());
            assertEquals(1, compiled.layout().skipped().size());
            String skipped = compiled.layout().skipped().get(0);
            assertTrue(skipped.startsWith("model 704 at ") && skipped.contains("its model file was rejected (" + r.describe() + ")"),
                    skipped);
        }
    }
}
