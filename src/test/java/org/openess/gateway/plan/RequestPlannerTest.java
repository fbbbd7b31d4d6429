package org.openess.gateway.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openess.gateway.profile.PointSpec;
import org.openess.gateway.profile.Profile;
import org.openess.gateway.profile.ProfileLoader;
import org.openess.gateway.profile.TableSpec;
import org.openess.gateway.testsupport.UnitTest;

/**
 * Table-driven tests of the request optimiser. Each case is a profile (areas and points, written
 * as the YAML a user would write), the limits, and the exact reads expected ("fc3 0+125" = function
 * 3, 125 registers from 0). Every plan is also checked against the planner's invariants.
 */
@UnitTest
class RequestPlannerTest {

    /** A profile under construction: areas and one table of points. */
    static final class Case {
        final String name;
        final List<String> areas = new ArrayList<>();
        final List<String> points = new ArrayList<>();
        String group = null;
        PlanLimits limits = PlanLimits.DEFAULT;
        List<String> expected = List.of();
        private int column;

        Case(String name) {
            this.name = name;
        }

        Case area(String area, String function, int start, int count) {
            areas.add("{name: " + area + ", function: " + function + ", start: " + start + ", count: " + count + "}");
            return this;
        }

        /** {@code n} consecutive points of {@code type} from {@code address}. */
        Case run(String area, int address, int n, String type, int size) {
            for (int i = 0; i < n; i++) {
                point(area, address + i * size, type);
            }
            return this;
        }

        Case point(String area, int address, String type) {
            points.add("{column: P" + (column++) + ", area: " + area + ", address: " + address + ", type: " + type + "}");
            return this;
        }

        Case bit(String area, int address, int bit) {
            points.add("{column: P" + (column++) + ", area: " + area + ", address: " + address + ", type: bit, bit: " + bit + "}");
            return this;
        }

        Case group(int count, int stride) {
            group = "{column: RACK_ID, count: " + count + ", stride: " + stride + "}";
            return this;
        }

        Case limits(int maxRegisters, int maxBits, int maxGap) {
            limits = new PlanLimits(maxRegisters, maxBits, maxGap);
            return this;
        }

        Case expect(String... reads) {
            expected = List.of(reads);
            return this;
        }

        Profile profile() {
            StringBuilder y = new StringBuilder("name: plan-test\nareas:\n");
            areas.forEach(a -> y.append("  - ").append(a).append('\n'));
            y.append("tables:\n  - name: t\n");
            if (group != null) {
                y.append("    group: ").append(group).append('\n');
            }
            y.append("    points:\n");
            points.forEach(p -> y.append("      - ").append(p).append('\n'));
            return ProfileLoader.parse("plan-test:" + name, y.toString().getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Case c(String name) {
        return new Case(name);
    }

    static Stream<Case> cases() {
        return Stream.of(
                c("exactly 125 registers: one read").area("HR", "holding-registers", 0, 200)
                        .run("HR", 0, 125, "uint16", 1).expect("fc3 0+125"),
                c("126 registers: two reads").area("HR", "holding-registers", 0, 200)
                        .run("HR", 0, 126, "uint16", 1).expect("fc3 0+125", "fc3 125+1"),
                c("250 registers: two full reads").area("IR", "input-registers", 1000, 250)
                        .run("IR", 1000, 250, "int16", 1).expect("fc4 1000+125", "fc4 1125+125"),
                c("single register").area("HR", "holding-registers", 0, 100)
                        .point("HR", 42, "uint16").expect("fc3 42+1"),
                c("single register at 65535").area("HR", "holding-registers", 65500, 36)
                        .point("HR", 65535, "uint16").expect("fc3 65535+1"),
                c("two single registers, gap bridged").area("HR", "holding-registers", 0, 100)
                        .point("HR", 10, "uint16").point("HR", 20, "uint16").expect("fc3 10+11"),
                c("gap of exactly max-gap is bridged").area("HR", "holding-registers", 0, 100)
                        .point("HR", 0, "uint16").point("HR", 6, "uint16").limits(125, 2000, 5).expect("fc3 0+7"),
                c("gap of max-gap + 1 splits").area("HR", "holding-registers", 0, 100)
                        .point("HR", 0, "uint16").point("HR", 7, "uint16").limits(125, 2000, 5).expect("fc3 0+1", "fc3 7+1"),
                c("max-gap 0 merges only adjacent registers").area("HR", "holding-registers", 0, 100)
                        .point("HR", 0, "uint16").point("HR", 1, "uint16").point("HR", 3, "uint16").limits(125, 2000, 0)
                        .expect("fc3 0+2", "fc3 3+1"),
                c("default max-gap bridges 125 unused registers").area("HR", "holding-registers", 0, 300)
                        .point("HR", 0, "uint16").point("HR", 124, "uint16").expect("fc3 0+125"),
                c("a gap that would make the read too long splits").area("HR", "holding-registers", 0, 300)
                        .point("HR", 0, "uint16").point("HR", 125, "uint16").expect("fc3 0+1", "fc3 125+1"),
                c("points out of address order").area("HR", "holding-registers", 0, 100)
                        .point("HR", 9, "uint16").point("HR", 2, "int16").point("HR", 5, "uint32").expect("fc3 2+8"),
                c("int32 at a 125 boundary is not split").area("HR", "holding-registers", 0, 200)
                        .run("HR", 0, 124, "uint16", 1).point("HR", 124, "int32").expect("fc3 0+124", "fc3 124+2"),
                c("int32 ending at register 124 stays in the first read").area("HR", "holding-registers", 0, 200)
                        .run("HR", 0, 123, "uint16", 1).point("HR", 123, "int32").point("HR", 125, "uint16")
                        .expect("fc3 0+125", "fc3 125+1"),
                c("float32 pairs never straddle a read").area("IR", "input-registers", 0, 300)
                        .point("IR", 0, "uint16").run("IR", 1, 100, "float32", 2).expect("fc4 0+125", "fc4 125+76"),
                c("int64 at a 125 boundary is not split").area("HR", "holding-registers", 0, 200)
                        .run("HR", 0, 122, "uint16", 1).point("HR", 122, "int64").expect("fc3 0+122", "fc3 122+4"),
                c("float64 at 123 is not split").area("HR", "holding-registers", 0, 200)
                        .run("HR", 0, 123, "uint16", 1).point("HR", 123, "float64").expect("fc3 0+123", "fc3 123+4"),
                c("uint64 values fill a read up to 124 registers").area("HR", "holding-registers", 0, 200)
                        .run("HR", 0, 32, "uint64", 4).expect("fc3 0+124", "fc3 124+4"),
                c("adjacent areas are read separately").area("A", "holding-registers", 0, 10).area("B", "holding-registers", 10, 10)
                        .point("A", 9, "uint16").point("B", 10, "uint16").expect("fc3 9+1", "fc3 10+1"),
                c("a gap is not bridged across areas").area("A", "input-registers", 0, 5).area("B", "input-registers", 6, 5)
                        .point("A", 0, "uint16").point("B", 10, "uint16").expect("fc4 0+1", "fc4 10+1"),
                c("same addresses, different functions").area("HR", "holding-registers", 0, 10).area("IR", "input-registers", 0, 10)
                        .area("C", "coils", 0, 10).area("DI", "discrete-inputs", 0, 10)
                        .point("IR", 0, "uint16").point("HR", 0, "uint16").point("DI", 0, "bool").point("C", 0, "bool")
                        .point("IR", 1, "uint16").point("HR", 1, "uint16").point("DI", 1, "bool").point("C", 1, "bool")
                        .expect("fc1 0+2", "fc2 0+2", "fc3 0+2", "fc4 0+2"),
                c("lower max-registers").area("HR", "holding-registers", 0, 100)
                        .run("HR", 0, 25, "uint16", 1).limits(10, 2000, 125).expect("fc3 0+10", "fc3 10+10", "fc3 20+5"),
                c("max-registers 4 still holds an int64").area("HR", "holding-registers", 0, 100)
                        .point("HR", 0, "uint16").point("HR", 1, "int64").limits(4, 2000, 125).expect("fc3 0+1", "fc3 1+4"),
                c("2000 coils: one read").area("C", "coils", 0, 2001).run("C", 0, 2000, "bool", 1).expect("fc1 0+2000"),
                c("2001 coils: two reads").area("C", "coils", 0, 2001).run("C", 0, 2001, "bool", 1)
                        .expect("fc1 0+2000", "fc1 2000+1"),
                c("2000 discrete inputs: one read").area("DI", "discrete-inputs", 5000, 2000).point("DI", 5000, "bool")
                        .point("DI", 6999, "bool").limits(125, 2000, 2000).expect("fc2 5000+2000"),
                c("bit gaps use max-gap").area("DI", "discrete-inputs", 0, 3000).point("DI", 0, "bool").point("DI", 126, "bool")
                        .point("DI", 253, "bool").expect("fc2 0+127", "fc2 253+1"),
                c("lower max-bits").area("C", "coils", 0, 100).run("C", 0, 20, "bool", 1).limits(125, 8, 125)
                        .expect("fc1 0+8", "fc1 8+8", "fc1 16+4"),
                c("bit points of one register: one register read").area("HR", "holding-registers", 0, 10)
                        .bit("HR", 3, 0).bit("HR", 3, 15).bit("HR", 3, 7).expect("fc3 3+1"),
                c("group instances are planned like points").area("IR", "input-registers", 0, 400).group(3, 150)
                        .point("IR", 0, "uint16").point("IR", 1, "uint32").expect("fc4 0+3", "fc4 150+3", "fc4 300+3"),
                c("group instances merge when close").area("IR", "input-registers", 0, 400).group(8, 16)
                        .run("IR", 9, 16, "uint16", 1).expect("fc4 9+125", "fc4 134+3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void plansTheExpectedReads(Case c) {
        Profile profile = c.profile();
        RequestPlan plan = RequestPlanner.plan(profile, c.limits);
        assertEquals(c.expected, plan.reads().stream().map(ReadRequest::toString).toList(), c.name);
        assertInvariants(profile, plan, c.limits);
    }

    @Test
    void operation1IsReadInTheSevenReadsOfTheOriginal() {
        Profile profile = ProfileLoader.load("operation1");
        RequestPlan plan = RequestPlanner.plan(profile, PlanLimits.DEFAULT);
        assertEquals(List.of("fc4 0+125", "fc4 125+12", "fc4 200+125", "fc4 325+125", "fc4 450+16", "fc4 500+89", "fc4 600+5"),
                plan.reads().stream().map(ReadRequest::toString).toList());
        assertEquals(497, plan.registerCount());
        assertInvariants(profile, plan, PlanLimits.DEFAULT);
    }

    @Test
    void operation1WithALowerMaximumStillCoversEveryPoint() {
        Profile profile = ProfileLoader.load("operation1");
        PlanLimits limits = new PlanLimits(50, 2000, 0);
        RequestPlan plan = RequestPlanner.plan(profile, limits);
        // BMS1 137 = 50+50+37, BMS2 266 = 50*5+16, PCS 89 = 50+39; ETC 600-602 and 604 (603 unused)
        assertEquals(List.of("fc4 0+50", "fc4 50+50", "fc4 100+37", "fc4 200+50", "fc4 250+50", "fc4 300+50", "fc4 350+50",
                "fc4 400+50", "fc4 450+16", "fc4 500+50", "fc4 550+39", "fc4 600+3", "fc4 604+1"),
                plan.reads().stream().map(ReadRequest::toString).toList());
        assertInvariants(profile, plan, limits);
    }

    @Test
    void limitsOutsideModbusAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PlanLimits(126, 2000, 0));
        assertThrows(IllegalArgumentException.class, () -> new PlanLimits(3, 2000, 0));
        assertThrows(IllegalArgumentException.class, () -> new PlanLimits(125, 2001, 0));
        assertThrows(IllegalArgumentException.class, () -> new PlanLimits(125, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new PlanLimits(125, 2000, -1));
    }

    @Test
    void readIndexOfFindsTheReadHoldingAWholeValue() {
        Profile profile = c("lookup").area("HR", "holding-registers", 0, 200).run("HR", 0, 124, "uint16", 1)
                .point("HR", 124, "int32").profile();
        RequestPlan plan = RequestPlanner.plan(profile, PlanLimits.DEFAULT);
        assertEquals(0, plan.readIndexOf(profile.areas().get(0).function(), 123, 1));
        assertEquals(1, plan.readIndexOf(profile.areas().get(0).function(), 124, 2));
        assertEquals(-1, plan.readIndexOf(profile.areas().get(0).function(), 123, 2), "no read holds 123..124 whole");
        assertEquals(-1, plan.readIndexOf(profile.areas().get(0).function(), 126, 1));
    }

    /**
     * Property: for random layouts (two areas, values of 1, 2 and 4 registers, random holes and
     * limits) the plan is valid and has the fewest reads possible, computed independently by
     * dynamic programming over every way to cut the sorted values into reads.
     */
    @Test
    void plansTheFewestReadsForRandomLayouts() {
        java.util.Random random = new java.util.Random(125);
        org.openess.gateway.profile.Area a = new org.openess.gateway.profile.Area("A",
                org.openess.gateway.profile.FunctionCode.HOLDING_REGISTERS, 0, 400);
        org.openess.gateway.profile.Area b = new org.openess.gateway.profile.Area("B",
                org.openess.gateway.profile.FunctionCode.HOLDING_REGISTERS, 400, 400);
        for (int round = 0; round < 3000; round++) {
            PlanLimits limits = new PlanLimits(4 + random.nextInt(20), 2000, random.nextInt(6));
            List<RequestPlanner.Span> spans = new ArrayList<>();
            for (org.openess.gateway.profile.Area area : List.of(a, b)) {
                int address = area.start() + random.nextInt(3);
                int n = random.nextInt(15);
                for (int i = 0; i < n; i++) {
                    int length = new int[] { 1, 1, 2, 4 }[random.nextInt(4)];
                    spans.add(new RequestPlanner.Span(area, address, length));
                    address += length + (random.nextInt(3) == 0 ? random.nextInt(8) : 0);
                }
            }
            List<RequestPlanner.Span> shuffled = new ArrayList<>(spans);
            java.util.Collections.shuffle(shuffled, random);
            RequestPlan plan = RequestPlanner.plan(shuffled, limits);
            String what = "round " + round + " " + limits + " " + spans;
            assertEquals(fewestReads(spans, limits), plan.reads().size(), what);
            for (RequestPlanner.Span s : spans) {
                long holders = plan.reads().stream().filter(r -> r.area().equals(s.area()) && s.start() >= r.start()
                        && s.end() <= r.end()).count();
                assertEquals(1, holders, what + ": " + s + " held whole by one read");
            }
            for (ReadRequest r : plan.reads()) {
                assertTrue(r.count() <= limits.maxRegisters() && r.area().contains(r.start(), r.count()), what + ": " + r);
            }
        }
    }

    /** Minimum number of reads: cut the address-ordered spans into runs that each fit one read. */
    private static int fewestReads(List<RequestPlanner.Span> spans, PlanLimits limits) {
        List<RequestPlanner.Span> sorted = new ArrayList<>(spans);
        sorted.sort(java.util.Comparator.comparingInt(RequestPlanner.Span::start));
        int n = sorted.size();
        int[] best = new int[n + 1];
        for (int j = 1; j <= n; j++) {
            best[j] = Integer.MAX_VALUE;
            // run sorted[i..j-1] as one read
            for (int i = j - 1; i >= 0; i--) {
                if (fitsOneRead(sorted.subList(i, j), limits) && best[i] != Integer.MAX_VALUE) {
                    best[j] = Math.min(best[j], best[i] + 1);
                }
            }
        }
        return best[n];
    }

    private static boolean fitsOneRead(List<RequestPlanner.Span> run, PlanLimits limits) {
        int start = run.get(0).start();
        int end = run.get(0).end();
        for (RequestPlanner.Span s : run.subList(1, run.size())) {
            if (!s.area().equals(run.get(0).area()) || s.start() - end - 1 > limits.maxGap()) {
                return false;
            }
            end = Math.max(end, s.end());
        }
        return end - start + 1 <= limits.maxRegisters();
    }

    /**
     * What every plan must satisfy: reads numbered in order, within the limit, inside one area, not
     * overlapping, and every point instance held whole by exactly one read.
     */
    static void assertInvariants(Profile profile, RequestPlan plan, PlanLimits limits) {
        List<ReadRequest> reads = plan.reads();
        for (int i = 0; i < reads.size(); i++) {
            ReadRequest r = reads.get(i);
            assertEquals(i, r.index(), "read index");
            assertEquals(r.area().function(), r.function(), r + " uses its area's function");
            assertTrue(r.count() >= 1 && r.count() <= limits.maxFor(r.function()), r + " exceeds the limit");
            assertTrue(r.area().contains(r.start(), r.count()), r + " leaves area " + r.area());
            for (ReadRequest o : reads.subList(0, i)) {
                assertTrue(o.function() != r.function() || o.end() < r.start() || r.end() < o.start(), r + " overlaps " + o);
            }
        }
        for (TableSpec t : profile.tables()) {
            for (PointSpec p : t.points()) {
                for (int i = 0; i < t.rowsPerCycle(); i++) {
                    int a = p.addressOf(i);
                    long holders = reads.stream()
                            .filter(r -> r.function() == p.area().function() && a >= r.start() && a + p.length() - 1 <= r.end())
                            .count();
                    assertEquals(1, holders, p.column() + " instance " + i + " at " + a + " is held whole by one read");
                }
            }
        }
    }
}
