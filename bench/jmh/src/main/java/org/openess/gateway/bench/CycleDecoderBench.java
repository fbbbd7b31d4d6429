package org.openess.gateway.bench;

import java.util.concurrent.TimeUnit;

import org.openess.gateway.decode.CycleDecoder;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.decode.RegisterSnapshot;
import org.openess.gateway.plan.PlanLimits;
import org.openess.gateway.plan.RequestPlan;
import org.openess.gateway.plan.RequestPlanner;
import org.openess.gateway.profile.Profile;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** One operation1 cycle (7 reads, 4,970 registers) decoded into its 11 rows / 496 values. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CycleDecoderBench {
    CycleDecoder decoder;
    RegisterSnapshot snapshot;

    @Setup
    public void setup() {
        Profile profile = Fixtures.operation1();
        RequestPlan plan = RequestPlanner.plan(profile, PlanLimits.DEFAULT);
        decoder = new CycleDecoder(profile, plan, CycleDecoder.layoutsOf(profile));
        snapshot = Fixtures.snapshot(profile, plan, 7);
    }

    @Benchmark
    public CycleOutput decodeOperation1Cycle() {
        return decoder.decode("D0007", Fixtures.SECOND * 1000, snapshot);
    }
}
