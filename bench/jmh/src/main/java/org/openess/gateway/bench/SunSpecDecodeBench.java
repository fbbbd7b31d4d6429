package org.openess.gateway.bench;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.decode.RegisterSnapshot;
import org.openess.gateway.plan.PlanLimits;
import org.openess.gateway.plan.ReadRequest;
import org.openess.gateway.simulator.SunSpecChain;
import org.openess.gateway.simulator.SunSpecSimulatedDevice;
import org.openess.gateway.sunspec.ChainWalker;
import org.openess.gateway.sunspec.SunSpecLayout;
import org.openess.gateway.sunspec.SunSpecModels;
import org.openess.gateway.sunspec.SunSpecProfiles;
import org.openess.gateway.sunspec.SunSpecSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.vertx.core.Future;

/**
 * A SunSpec battery (1 + 802 + 803 + 2 × 804, 2 strings of 4 modules) as the simulator serves it:
 * one cycle decoded (5 reads, 15 rows, scale factors read in the cycle), and the chain walk plus
 * compilation that discovery does once per connection (registers from memory, no network).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SunSpecDecodeBench {
    SunSpecModels models;
    int[] image;
    int base;
    SunSpecProfiles.Compiled compiled;
    RegisterSnapshot snapshot;

    @Setup
    public void setup() {
        models = SunSpecModels.builtin();
        SunSpecSimulatedDevice device = new SunSpecSimulatedDevice(
                SunSpecChain.parse("sunspec:1,802,803,804:strings=2:modules=4", models), models, 7);
        image = device.imageAt(Fixtures.SECOND);
        base = device.base();
        compiled = discover();
        snapshot = new RegisterSnapshot(compiled.decoder().plan());
        for (ReadRequest r : compiled.decoder().plan().reads()) {
            snapshot.succeeded(r.index(), Arrays.copyOfRange(image, r.start() - base, r.start() - base + r.count()));
        }
    }

    @Benchmark
    public CycleOutput decodeBatteryCycle() {
        return compiled.decoder().decode("D0007", Fixtures.SECOND * 1000, snapshot);
    }

    @Benchmark
    public SunSpecProfiles.Compiled discover() {
        SunSpecLayout layout = new ChainWalker(models, SunSpecSupport.DEFAULT_BASES, (start, count) -> start < base
                || start + count > base + image.length ? Future.failedFuture(new IllegalStateException("unmapped"))
                        : Future.succeededFuture(Arrays.copyOfRange(image, start - base, start - base + count)))
                .discover().result();
        return new SunSpecProfiles().compile(layout, PlanLimits.DEFAULT);
    }
}
