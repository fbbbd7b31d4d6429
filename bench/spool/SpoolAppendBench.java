import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.openess.gateway.decode.CycleDecoder;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.decode.RegisterSnapshot;
import org.openess.gateway.plan.PlanLimits;
import org.openess.gateway.plan.ReadRequest;
import org.openess.gateway.plan.RequestPlan;
import org.openess.gateway.plan.RequestPlanner;
import org.openess.gateway.profile.Profile;
import org.openess.gateway.profile.ProfileLoader;
import org.openess.gateway.profile.TableLayout;
import org.openess.gateway.simulator.SimulatedDevice;
import org.openess.gateway.storage.Batch;
import org.openess.gateway.storage.MemoryRowBuffer;
import org.openess.gateway.storage.spool.RecordCodec;
import org.openess.gateway.storage.spool.SpoolRowBuffer;
import org.openess.gateway.storage.spool.SyncPolicy;
import org.openess.gateway.storage.spool.WhenFull;

/**
 * The spool's own cost per operation1 cycle, without a database or a network: run by
 * bench/spool-append.sh (one JVM per run), not a test.
 * <p>
 * Cycles are 1,000 operation1 devices decoded from the simulator's registers (11 rows each: bank,
 * 8 racks, pcs, etc), offered again and again. Two measurements, each after a warm-up:
 * <ol>
 * <li>{@code codec}: {@link RecordCodec#encode} alone on this thread;</li>
 * <li>{@code spool}: {@link SpoolRowBuffer#offer} with {@code sync=never} into a fresh folder,
 * offered a tick (1,000 cycles) at a time whenever fewer than a tick's worth are queued or
 * unsent (so nothing overflows to memory; {@code fallbackCycles} in the output must be 0), while a consumer thread takes and acknowledges every batch the
 * way the writer does, until every record is committed. Counted on the spool thread
 * ("ess-spool"), which encodes, frames, writes, publishes and deletes segments.</li>
 * </ol>
 * CPU time and allocated bytes per thread come from {@code com.sun.management.ThreadMXBean}.
 * Prints one JSON line.
 */
public final class SpoolAppendBench {
    private static final long TICK = 1_790_000_000_000L;
    private static final int DEVICES = 1000;

    public static void main(String[] args) throws Exception {
        int cycles = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        Path dir = Files.createTempDirectory("ess-spool-bench");
        try {
            Profile profile = ProfileLoader.load("operation1");
            RequestPlan plan = RequestPlanner.plan(profile, PlanLimits.DEFAULT);
            Map<String, TableLayout> byTable = CycleDecoder.layoutsOf(profile);
            CycleDecoder decoder = new CycleDecoder(profile, plan, byTable);
            List<CycleOutput> tick = new ArrayList<>();
            for (int d = 0; d < DEVICES; d++) {
                tick.add(decoder.decode(String.format("D%04d", d + 1), TICK, snapshot(profile, plan, d)));
            }
            List<TableLayout> layouts = List.copyOf(byTable.values());
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

            RecordCodec codec = new RecordCodec(layouts);
            encode(codec, tick, warmup);
            long self = Thread.currentThread().getId();
            long cpu0 = mx.getThreadCpuTime(self);
            long alloc0 = mx.getThreadAllocatedBytes(self);
            long bytes = encode(codec, tick, cycles);
            double codecNs = (double) (mx.getThreadCpuTime(self) - cpu0) / cycles;
            double codecAlloc = (double) (mx.getThreadAllocatedBytes(self) - alloc0) / cycles;

            SpoolRowBuffer.Settings s = new SpoolRowBuffer.Settings(dir, SyncPolicy.NEVER, 200, 1L << 30, 16L << 20,
                    WhenFull.DROP_NEWEST, 0, 10_000, 1000, 4, 50);
            SpoolRowBuffer spool = new SpoolRowBuffer(s, layouts, new MemoryRowBuffer(200_000));
            Thread spoolThread = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("ess-spool"))
                    .findFirst().orElseThrow();
            Consumer consumer = new Consumer(spool);
            consumer.start();
            offer(spool, tick, warmup);
            long sid = spoolThread.getId();
            long wall0 = System.nanoTime();
            long scpu0 = mx.getThreadCpuTime(sid);
            long salloc0 = mx.getThreadAllocatedBytes(sid);
            offer(spool, tick, cycles);
            double spoolNs = (double) (mx.getThreadCpuTime(sid) - scpu0) / cycles;
            double spoolAlloc = (double) (mx.getThreadAllocatedBytes(sid) - salloc0) / cycles;
            double wallNs = (double) (System.nanoTime() - wall0) / cycles;
            consumer.stop = true;
            consumer.join();
            SpoolRowBuffer.Status st = spool.status();
            spool.close(10_000);
            System.out.printf(
                    "{\"cycles\":%d,\"warmup\":%d,\"payloadBytesPerCycle\":%.0f,\"codecCpuNsPerCycle\":%.0f,"
                            + "\"codecAllocBytesPerCycle\":%.0f,\"spoolThreadCpuNsPerCycle\":%.0f,"
                            + "\"spoolThreadAllocBytesPerCycle\":%.0f,\"wallNsPerCycle\":%.0f,\"fallbackCycles\":%d,"
                            + "\"droppedCycles\":%d,\"rowsTaken\":%d,\"loadAvg\":%.2f}%n",
                    cycles, warmup, (double) bytes / cycles, codecNs, codecAlloc, spoolNs, spoolAlloc, wallNs,
                    st.fallbackCycles(), st.droppedCycles(), consumer.rows, ManagementFactory.getOperatingSystemMXBean()
                            .getSystemLoadAverage());
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static long encode(RecordCodec codec, List<CycleOutput> tick, int cycles) {
        long bytes = 0;
        for (int i = 0; i < cycles; i++) {
            codec.encode(tick.get(i % tick.size()));
            bytes += codec.length();
        }
        return bytes;
    }

    /** A tick at a time; then waits until the spool has written and every record is committed. */
    private static void offer(SpoolRowBuffer spool, List<CycleOutput> tick, int cycles) throws InterruptedException {
        for (int i = 0; i < cycles; i += tick.size()) {
            for (int d = 0; d < tick.size() && i + d < cycles; d++) {
                spool.offer(tick.get(d));
            }
            // size(): the hand-off queue (live) plus unsent records (as of the spool thread's last turn)
            while (spool.size() >= tick.size()) {
                Thread.sleep(1);
            }
        }
        while (spool.size() > 0) {
            Thread.sleep(1);
        }
    }

    /** Takes and acknowledges batches like the writer, without a database. */
    private static final class Consumer extends Thread {
        final SpoolRowBuffer spool;
        volatile boolean stop;
        long rows;

        Consumer(SpoolRowBuffer spool) {
            super("bench-consumer");
            this.spool = spool;
        }

        @Override
        public void run() {
            while (!stop) {
                Batch b = spool.take(1000);
                if (b == null) {
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                    continue;
                }
                rows += b.size();
                spool.ack(b);
            }
        }
    }

    private static RegisterSnapshot snapshot(Profile profile, RequestPlan plan, int device) throws IOException {
        SimulatedDevice sim = new SimulatedDevice(profile, device, 0);
        RegisterSnapshot snapshot = new RegisterSnapshot(plan);
        for (ReadRequest r : plan.reads()) {
            snapshot.succeeded(r.index(), sim.read(r.function(), r.start(), r.count(), TICK));
        }
        return snapshot;
    }
}
