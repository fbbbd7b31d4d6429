package org.openess.gateway.sunspec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.openess.gateway.modbus.ModbusReadException;

import io.vertx.core.Future;

/**
 * Discovers a device's SunSpec layout over its own (asynchronous) connection: looks for the
 * {@code SunS} marker at each base in turn, then walks the model chain header by header
 * ({@code ID}, {@code L}) to the end marker 0xFFFF, reading each repeating group's count point
 * where the model has one. Every step is a future chained on the caller's context, so an event
 * loop is never blocked. Unknown models and models whose shape does not fit their declared
 * length are skipped and reported; a chain that breaks is an error, as is a device without the
 * marker. Link failures (timeouts, no connection) are passed on unchanged so the caller retries.
 */
public final class ChainWalker {
    public static final int MARKER_HI = 0x5375; // "Su"
    public static final int MARKER_LO = 0x6E53; // "nS"
    public static final int END = 0xFFFF;
    /** A chain longer than this is not a real device (and would make the walk loop for long). */
    static final int MAX_MODELS = 1000;

    private final SunSpecModels models;
    private final List<Integer> bases;
    private final RegisterReader reader;

    public ChainWalker(SunSpecModels models, List<Integer> bases, RegisterReader reader) {
        this.models = models;
        this.bases = List.copyOf(bases);
        this.reader = reader;
    }

    public Future<SunSpecLayout> discover() {
        return findMarker(0, new ArrayList<>());
    }

    private Future<SunSpecLayout> findMarker(int i, List<String> misses) {
        if (i == bases.size()) {
            return Future.failedFuture(new SunSpecException("not a SunSpec device: no 'SunS' marker in holding registers at "
                    + String.join(", ", misses)));
        }
        int base = bases.get(i);
        return reader.read(base, 2).transform(ar -> {
            if (ar.failed()) {
                if (!isDeviceAnswer(ar.cause())) {
                    return Future.failedFuture(ar.cause());
                }
                misses.add(base + " (" + ar.cause().getMessage() + ")");
                return findMarker(i + 1, misses);
            }
            int[] w = ar.result();
            if (w[0] != MARKER_HI || w[1] != MARKER_LO) {
                misses.add(String.format("%d (0x%04X 0x%04X)", base, w[0], w[1]));
                return findMarker(i + 1, misses);
            }
            return walk(base, base + 2, new ArrayList<>(), new ArrayList<>(), new HashMap<>());
        });
    }

    /** True when the device answered (an exception response), false for link trouble. */
    private static boolean isDeviceAnswer(Throwable t) {
        return t instanceof ModbusReadException e && e.kind() == ModbusReadException.Kind.EXCEPTION_RESPONSE;
    }

    private Future<SunSpecLayout> walk(int base, int address, List<DiscoveredModel> found, List<String> skipped,
            Map<Integer, Integer> occurrences) {
        if (found.size() + skipped.size() >= MAX_MODELS) {
            return Future.failedFuture(new SunSpecException("model chain at " + base + " has more than " + MAX_MODELS
                    + " models without the end marker 0xFFFF"));
        }
        if (address > 0xFFFE) {
            return Future.failedFuture(new SunSpecException("model chain at " + base + " runs past register 65535 without the end "
                    + "marker 0xFFFF" + after(found, skipped)));
        }
        return reader.read(address, 2).transform(ar -> {
            if (ar.failed()) {
                if (!isDeviceAnswer(ar.cause())) {
                    return Future.failedFuture(ar.cause());
                }
                return Future.failedFuture(new SunSpecException("model chain broken at register " + address + after(found, skipped)
                        + ": " + ar.cause().getMessage() + " (a model length runs past the chain, or the end marker 0xFFFF is missing)"));
            }
            int id = ar.result()[0];
            int length = ar.result()[1];
            if (id == END) {
                SunSpecLayout layout = new SunSpecLayout(base, List.copyOf(found), List.copyOf(skipped));
                if (found.isEmpty()) {
                    return Future.failedFuture(new SunSpecException("SunSpec device at " + base + " exposes no model the gateway knows"
                            + (skipped.isEmpty() ? "" : " (skipped: " + String.join("; ", skipped) + ")")
                            + "; add model definitions with ess.sunspec.models-dir"));
                }
                return Future.succeededFuture(layout);
            }
            if ((long) address + 2 + length > 0x10000) {
                return Future.failedFuture(new SunSpecException("model " + id + " at register " + address + " declares length "
                        + length + ", past register 65535"));
            }
            int next = address + 2 + length;
            SunSpecModel model = models.get(id);
            if (model == null) {
                skipped.add("model " + id + " at " + address + " (length " + length + "): no definition; add model_" + id
                        + ".json to ess.sunspec.models-dir");
                return walk(base, next, found, skipped, occurrences);
            }
            return resolve(model, address, length).compose(counts -> {
                if (counts.problem() != null) {
                    skipped.add("model " + id + " at " + address + " (length " + length + "): " + counts.problem());
                } else {
                    int occurrence = occurrences.merge(id, 1, Integer::sum);
                    found.add(new DiscoveredModel(model, occurrence, address, length, counts.counts(), counts.nested()));
                }
                return walk(base, next, found, skipped, occurrences);
            });
        });
    }

    private static String after(List<DiscoveredModel> found, List<String> skipped) {
        if (found.isEmpty()) {
            return "";
        }
        DiscoveredModel last = found.get(found.size() - 1);
        return " (after model " + last.model().id() + " at " + last.address() + ", length " + last.length() + ")";
    }

    private record Counts(List<Integer> counts, List<List<Integer>> nested, String problem) {
        static Counts problem(String text) {
            return new Counts(null, null, text);
        }
    }

    /**
     * Reads the model's group counts and checks that its points fit the declared length. Groups
     * nested one level deep are supported when their count is a constant or a point of the fixed
     * part (so every outer instance has the same length); other shapes are skipped and reported.
     */
    private Future<Counts> resolve(SunSpecModel model, int address, int length) {
        SunSpecModel.Group top = model.group();
        List<SunSpecModel.Group> counted = new ArrayList<>();
        for (SunSpecModel.Group g : top.groups()) {
            counted.add(g);
            for (SunSpecModel.Group h : g.groups()) {
                if (!h.groups().isEmpty()) {
                    return Future.succeededFuture(Counts.problem("group '" + h.name() + "' nests groups more than two levels deep, "
                            + "which the gateway does not store"));
                }
                if (h.countPoint() != null && top.point(h.countPoint()) == null) {
                    return Future.succeededFuture(Counts.problem("the count of group '" + h.name() + "' ('" + h.countPoint()
                            + "') differs per '" + g.name() + "' instance, which the gateway does not store"));
                }
                counted.add(h);
            }
        }
        return readCounts(counted, top, address, 0, new ArrayList<>()).map(values -> {
            for (int i = 0; i < counted.size(); i++) {
                if (values.get(i) == null) {
                    return Counts.problem("count point '" + counted.get(i).countPoint() + "' of group '" + counted.get(i).name()
                            + "' is not implemented (0xFFFF)");
                }
            }
            List<Integer> counts = new ArrayList<>();
            List<List<Integer>> nested = new ArrayList<>();
            List<Integer> instanceLength = new ArrayList<>();
            int k = 0;
            for (SunSpecModel.Group g : top.groups()) {
                counts.add(values.get(k++));
                List<Integer> inner = new ArrayList<>();
                int len = g.pointRegisters();
                for (SunSpecModel.Group h : g.groups()) {
                    int d = values.get(k++);
                    inner.add(d);
                    len += d * h.pointRegisters();
                }
                nested.add(List.copyOf(inner));
                instanceLength.add(len);
            }
            int used = top.pointRegisters() - 2;
            int fill = -1;
            for (int i = 0; i < counts.size(); i++) {
                if (top.groups().get(i).fillsModel()) {
                    fill = i;
                } else {
                    used += counts.get(i) * instanceLength.get(i);
                }
            }
            if (used > length) {
                return Counts.problem("its points need " + used + " registers but the device declares " + length);
            }
            if (fill >= 0) {
                SunSpecModel.Group g = top.groups().get(fill);
                int rest = length - used;
                int len = instanceLength.get(fill);
                if (rest % len != 0) {
                    return Counts.problem("the " + rest + " registers after the fixed points are not a whole number of '" + g.name()
                            + "' groups of " + len);
                }
                counts.set(fill, rest / len);
            }
            return new Counts(List.copyOf(counts), List.copyOf(nested), null);
        });
    }

    private Future<List<Integer>> readCounts(List<SunSpecModel.Group> groups, SunSpecModel.Group top, int address, int i,
            List<Integer> counts) {
        if (i == groups.size()) {
            return Future.succeededFuture(counts);
        }
        SunSpecModel.Group g = groups.get(i);
        if (g.countPoint() == null) {
            counts.add(g.countConstant());
            return readCounts(groups, top, address, i + 1, counts);
        }
        int at = address + top.offsetOf(g.countPoint());
        return reader.read(at, 1).compose(w -> {
            counts.add(w[0] == 0xFFFF ? null : w[0]);
            return readCounts(groups, top, address, i + 1, counts);
        });
    }
}
