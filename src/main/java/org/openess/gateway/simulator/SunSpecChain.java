package org.openess.gateway.simulator;

import java.util.ArrayList;
import java.util.List;

import org.openess.gateway.sunspec.SunSpecException;
import org.openess.gateway.sunspec.SunSpecModels;

/**
 * The chain a simulated SunSpec device serves, from the spec string of {@code --profile}
 * (or {@code ess.simulator.profile}):
 * {@code sunspec:ID,ID,...[:strings=N][:modules=M][:cells=C][:base=B]}, e.g.
 * {@code sunspec:1,802,803,804:strings=2:modules=4}, or {@code sunspec:all} for every model
 * known (built-in plus {@code ess.sunspec.models-dir}). Other repeating groups (curves, points)
 * get two instances each, at every depth. Model 804 (one per string) is served once
 * per string and 805 (one per module) once per module of every string; the others once.
 * Defaults: 2 strings, 4 modules, 4 cells per module (805's cell group fills its model), the
 * marker at 40000.
 */
public record SunSpecChain(List<Integer> models, int strings, int modules, int cells, int base) {
    public static final String PREFIX = "sunspec:";

    public static boolean isSpec(String profile) {
        return profile != null && profile.startsWith(PREFIX);
    }

    public static SunSpecChain parse(String spec, SunSpecModels known) {
        String[] parts = spec.substring(PREFIX.length()).split(":");
        List<Integer> ids = new ArrayList<>();
        if (parts[0].strip().equals("all")) {
            ids.addAll(known.all().keySet());
        }
        for (String id : parts[0].strip().equals("all") ? new String[0] : parts[0].split(",")) {
            int n;
            try {
                n = Integer.parseInt(id.strip());
            } catch (NumberFormatException e) {
                throw new SunSpecException(spec + ": '" + id + "' is not a model id (expected e.g. sunspec:1,802,803,804)");
            }
            if (known.get(n) == null) {
                throw new SunSpecException(spec + ": model " + n + " is not known (built-in: " + SunSpecModels.BUILTIN + ")");
            }
            ids.add(n);
        }
        int strings = 2;
        int modules = 4;
        int cells = 4;
        int base = 40000;
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=", 2);
            int v;
            try {
                v = Integer.parseInt(kv.length == 2 ? kv[1].strip() : "");
            } catch (NumberFormatException e) {
                throw new SunSpecException(spec + ": '" + parts[i] + "' must be strings=N, modules=N, cells=N or base=N");
            }
            switch (kv[0].strip()) {
                case "strings" -> strings = v;
                case "modules" -> modules = v;
                case "cells" -> cells = v;
                case "base" -> base = v;
                default -> throw new SunSpecException(spec + ": unknown option '" + kv[0] + "' (strings, modules, cells, base)");
            }
        }
        if (strings < 1 || strings > 64 || modules < 1 || modules > 64 || cells < 1 || cells > 64) {
            throw new SunSpecException(spec + ": strings, modules and cells must be 1..64");
        }
        if (base < 0 || base > 65533) {
            throw new SunSpecException(spec + ": base must be a register address 0..65533 (gateways look for SunS at 40000, 40001, "
                    + "0 and 50000 by default)");
        }
        return new SunSpecChain(List.copyOf(ids), strings, modules, cells, base);
    }
}
