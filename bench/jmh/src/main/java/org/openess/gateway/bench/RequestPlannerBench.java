package org.openess.gateway.bench;

import java.util.concurrent.TimeUnit;

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

/** Request planning (done once per profile at start-up): operation1 and a large synthetic map. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RequestPlannerBench {
    Profile operation1;
    Profile large;

    @Setup
    public void setup() {
        operation1 = Fixtures.operation1();
        large = Fixtures.largeSynthetic();
    }

    @Benchmark
    public RequestPlan planOperation1() {
        return RequestPlanner.plan(operation1, PlanLimits.DEFAULT);
    }

    @Benchmark
    public RequestPlan planLargeSynthetic() {
        return RequestPlanner.plan(large, PlanLimits.DEFAULT);
    }
}
