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
 * loop is never blocked. Unknown models (and models whose file was rejected) are skipped and
 * reported; a model whose declared length differs from its file is read as the device declares
 * it and the difference is noted ({@link ModelFit}); a chain that breaks is an error, as is a device without the
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
            return walk(base, base + 2, new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new HashMap<>());
        });
    }

    /** True when the device answered (an exception response), false for link trouble. */
    private static boolean isDeviceAnswer(Throwable t) {
        return t instanceof ModbusReadException e && e.kind() == ModbusReadException.Kind.EXCEPTION_RESPONSE;
    }

    private Future<SunSpecLayout> walk(int base, int address, List<DiscoveredModel> found, List<String> skipped, List<String> notes,
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
                SunSpecLayout layout = new SunSpecLayout(base, List.copyOf(found), List.copyOf(skipped), List.copyOf(notes));
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
                RejectedModel rejected = models.rejection(id);
                skipped.add("model " + id + " at " + address + " (length " + length + "): " + (rejected == null ? "no definition; add model_"
                        + id + ".json to ess.sunspec.models-dir" : "its model file was rejected (" + rejected.describe() + ")"));
                return walk(base, next, found, skipped, notes, occurrences);
            }
            return resolve(model, address, length).compose(counts -> {
                if (counts.problem() != null) {
                    skipped.add("model " + id + " at " + address + " (length " + length + "): " + counts.problem());
                } else {
                    int occurrence = occurrences.merge(id, 1, Integer::sum);
                    found.add(new DiscoveredModel(model, occurrence, address, length, counts.shapes()));
                    if (counts.note() != null) {
                        notes.add("model " + id + "#" + occurrence + " at " + address + ": " + counts.note());
                    }
                }
                return walk(base, next, found, skipped, notes, occurrences);
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

    private record Counts(List<GroupShape> shapes, String note, String problem) {
        static Counts problem(String text) {
            return new Counts(null, null, text);
        }
    }

    /**
     * Reads the model's group counts and fits them to the declared length. Counts must come from
     * the model's fixed part or be constants (so every instance of a group has the same shape);
     * other shapes are skipped and reported. The device's length is trusted: see {@link ModelFit}.
     */
    private Future<Counts> resolve(SunSpecModel model, int address, int length) {
        SunSpecModel.Group top = model.group();
        List<String> countPoints = new ArrayList<>();
        String problem = countPoints(top, top, true, countPoints);
        if (problem != null) {
            return Future.succeededFuture(Counts.problem(problem));
        }
        return readCounts(countPoints, top, address, 0, new HashMap<>()).map(values -> {
            for (String point : countPoints) {
                if (values.get(point) == null) {
                    return Counts.problem("count point '" + point + "' of group '" + groupCountedBy(top, point).name()
                            + "' is not implemented (0xFFFF)");
                }
            }
            ModelFit fit = ModelFit.of(model, length, values);
            return new Counts(fit.shapes(), fit.note(), null);
        });
    }

    /** Collects the count points of {@code g}'s groups; a problem when a count is not a point of the fixed part. */
    private static String countPoints(SunSpecModel.Group top, SunSpecModel.Group g, boolean isTop, List<String> out) {
        for (SunSpecModel.Group h : g.groups()) {
            if (h.countPoint() != null) {
                if (top.point(h.countPoint()) == null) {
                    return "the count of group '" + h.name() + "' ('" + h.countPoint() + "') differs per '" + g.name()
                            + "' instance, which the gateway does not store";
                }
                if (!out.contains(h.countPoint())) {
                    out.add(h.countPoint());
                }
            }
            String p = countPoints(top, h, false, out);
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    private static SunSpecModel.Group groupCountedBy(SunSpecModel.Group g, String point) {
        for (SunSpecModel.Group h : g.groups()) {
            if (point.equals(h.countPoint())) {
                return h;
            }
            SunSpecModel.Group inner = groupCountedBy(h, point);
            if (inner != null) {
                return inner;
            }
        }
        return null;
    }

    private Future<Map<String, Integer>> readCounts(List<String> points, SunSpecModel.Group top, int address, int i,
            Map<String, Integer> values) {
        if (i == points.size()) {
            return Future.succeededFuture(values);
        }
        String point = points.get(i);
        int at = address + top.offsetOf(point);
        return reader.read(at, 1).compose(w -> {
            values.put(point, w[0] == 0xFFFF ? null : w[0]);
            return readCounts(points, top, address, i + 1, values);
        });
    }
}
