package org.openess.gateway.arch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;

/**
 * The stages of the gateway in data-path order, lowest first, and the check that a class only
 * depends on its own stage or lower ones. A stage is a top-level package under the base package
 * (its sub-packages belong to it); stages of the same rank are side by side and may not depend on
 * each other. A lower stage that needs a higher one to act owns an interface the higher one
 * implements (acquisition's {@code PipelineListener}, implemented by storage and the operator side).
 */
final class StageOrder {
    /** Rank of each stage: a class may depend on stages of a lower rank, and on its own stage. */
    static final Map<String, Integer> RANKS = Map.ofEntries(
            Map.entry("config", 0), Map.entry("lifecycle", 0), Map.entry("retry", 0), Map.entry("logging", 0),
            Map.entry("profile", 1),
            Map.entry("plan", 2),
            Map.entry("modbus", 3),
            Map.entry("decode", 4),
            Map.entry("sunspec", 5),
            Map.entry("acquisition", 6),
            Map.entry("storage", 7),
            Map.entry("archive", 8),
            Map.entry("alarm", 9), Map.entry("status", 9),
            Map.entry("metrics", 10), Map.entry("health", 10),
            Map.entry("api", 11),
            Map.entry("service", 12), Map.entry("simulator", 12),
            Map.entry("cli", 13),
            Map.entry("", 14)); // the base package itself: the main class

    private final String base;

    StageOrder(String base) {
        this.base = base;
    }

    /** The stage of a class under the base package: the first package name below it ("" for the base package). */
    String stageOf(JavaClass c) {
        String p = c.getPackageName();
        if (p.equals(base)) {
            return "";
        }
        String rest = p.substring(base.length() + 1);
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    private boolean inBase(JavaClass c) {
        return c.getPackageName().equals(base) || c.getPackageName().startsWith(base + ".");
    }

    /** Stages not in {@link #RANKS}: a new package must be given its place before it is used. */
    List<String> unranked(JavaClasses classes) {
        TreeSet<String> out = new TreeSet<>();
        for (JavaClass c : classes) {
            if (inBase(c) && !RANKS.containsKey(stageOf(c))) {
                out.add(stageOf(c));
            }
        }
        return List.copyOf(out);
    }

    /** Every dependency that goes up the stage order or sideways to another stage of the same rank. */
    List<String> violations(JavaClasses classes) {
        List<String> out = new ArrayList<>();
        for (JavaClass c : classes) {
            if (!inBase(c)) {
                continue;
            }
            String from = stageOf(c);
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                JavaClass target = d.getTargetClass();
                if (!inBase(target)) {
                    continue;
                }
                String to = stageOf(target);
                if (to.equals(from)) {
                    continue;
                }
                Integer rf = RANKS.get(from);
                Integer rt = RANKS.get(to);
                if (rf == null || rt == null || rt >= rf) {
                    out.add(from + " -> " + to + ": " + d.getDescription());
                }
            }
        }
        return out;
    }
}
