package org.openess.gateway.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.openess.gateway.decode.CycleDecoder;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.decode.DecodedRow;
import org.openess.gateway.decode.RegisterSnapshot;
import org.openess.gateway.plan.PlanLimits;
import org.openess.gateway.plan.ReadRequest;
import org.openess.gateway.plan.RequestPlan;
import org.openess.gateway.plan.RequestPlanner;
import org.openess.gateway.profile.Profile;
import org.openess.gateway.profile.ProfileLoader;
import org.openess.gateway.profile.TableLayout;
import org.openess.gateway.simulator.SimulatedDevice;

/** Shared inputs: the built-in operation1 profile and register images served by the simulator. */
final class Fixtures {
    /** A fixed second, so every run decodes the same values. */
    static final long SECOND = 1_790_000_000L;

    private Fixtures() {
    }

    static Profile operation1() {
        return ProfileLoader.load("operation1");
    }

    /** One cycle's snapshot of operation1 device {@code device}, as the simulator serves it. */
    static RegisterSnapshot snapshot(Profile profile, RequestPlan plan, int device) {
        SimulatedDevice sim = new SimulatedDevice(profile, device, 0);
        RegisterSnapshot snapshot = new RegisterSnapshot(plan);
        for (ReadRequest r : plan.reads()) {
            snapshot.succeeded(r.index(), sim.read(r.function(), r.start(), r.count(), SECOND * 1000));
        }
        return snapshot;
    }

    /** {@code devices} cycles of operation1, one per device, decoded into rows. */
    static Map<String, List<DecodedRow>> rowsByTable(int devices) {
        Profile profile = operation1();
        RequestPlan plan = RequestPlanner.plan(profile, PlanLimits.DEFAULT);
        Map<String, TableLayout> layouts = CycleDecoder.layoutsOf(profile);
        CycleDecoder decoder = new CycleDecoder(profile, plan, layouts);
        Map<String, List<DecodedRow>> out = new java.util.LinkedHashMap<>();
        for (int d = 0; d < devices; d++) {
            CycleOutput o = decoder.decode(String.format("D%04d", d + 1), SECOND * 1000, snapshot(profile, plan, d));
            for (DecodedRow r : o.rows()) {
                out.computeIfAbsent(r.layout().table(), k -> new ArrayList<>()).add(r);
            }
        }
        return out;
    }

    /**
     * A large synthetic profile: 4 holding-register areas of 10,000 registers, each with a bank
     * table of 200 mixed-type points and a rack group of 64 instances x 60 points (stride 120),
     * leaving gaps of unused registers: 16,160 point instances in all.
     */
    static Profile largeSynthetic() {
        StringBuilder y = new StringBuilder("name: large\nareas:\n");
        for (int a = 0; a < 4; a++) {
            y.append("  - {name: A").append(a).append(", function: holding-registers, start: ").append(a * 10_000)
                    .append(", count: 10000}\n");
        }
        y.append("tables:\n");
        String[] types = { "uint16", "int16", "uint32", "int32", "float32", "uint16", "int16", "uint16" };
        for (int a = 0; a < 4; a++) {
            int base = a * 10_000;
            y.append("  - name: bank").append(a).append("\n    constants: {BANK_ID: 1}\n    points:\n");
            int addr = base;
            for (int p = 0; p < 200; p++) {
                String t = types[p % types.length];
                y.append("      - {column: B").append(a).append("_P").append(p).append(", address: ").append(addr)
                        .append(", type: ").append(t).append(p % 3 == 0 ? ", scale: 0.1" : "").append("}\n");
                addr += (t.endsWith("32") ? 2 : 1) + (p % 10 == 9 ? 7 : 0); // a hole every 10 points
            }
            y.append("  - name: rack").append(a).append("\n    constants: {BANK_ID: 1}\n")
                    .append("    group: {column: RACK_ID, count: 64, first: 1, stride: 120}\n    points:\n");
            addr = base + 1000;
            for (int p = 0; p < 60; p++) {
                String t = types[p % types.length];
                y.append("      - {column: R").append(a).append("_P").append(p).append(", address: ").append(addr)
                        .append(", type: ").append(t).append("}\n");
                addr += (t.endsWith("32") ? 2 : 1);
            }
        }
        return ProfileLoader.parse("builtin:large-synthetic", y.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
