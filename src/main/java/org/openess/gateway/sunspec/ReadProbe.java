package org.openess.gateway.sunspec;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.openess.gateway.modbus.ModbusReadException;
import org.openess.gateway.plan.PlanLimits;
import org.openess.gateway.plan.ReadRequest;
import org.openess.gateway.profile.PointSpec;
import org.openess.gateway.profile.TableSpec;

import io.vertx.core.Future;

/**
 * Tries a freshly compiled layout's reads once, at discovery, because some devices answer
 * exception 02 (illegal data address) for a read that spans padding or runs to the end of a
 * model although every point in it is served. A model with such a read is planned again point
 * run by point run (no read bridges registers that are not points); a run still refused is tried
 * point by point, and a point refused alone is stored NULL. What was learnt holds for the
 * connection (the next discovery starts afresh) and is noted once in the layout.
 */
final class ReadProbe {
    /** Exception 02: the address range is not served. */
    static final int ILLEGAL_DATA_ADDRESS = 2;

    private final SunSpecProfiles profiles;
    private final PlanLimits limits;
    private final RegisterReader reader;

    ReadProbe(SunSpecProfiles profiles, PlanLimits limits, RegisterReader reader) {
        this.profiles = profiles;
        this.limits = limits;
        this.reader = reader;
    }

    Future<SunSpecProfiles.Compiled> compile(SunSpecLayout layout) {
        SunSpecProfiles.Compiled whole = profiles.compile(layout, limits);
        Set<String> split = new LinkedHashSet<>();
        List<String> notes = new ArrayList<>();
        return refused(whole.decoder().plan().reads(), 0, new ArrayList<>()).compose(refusedReads -> {
            if (refusedReads.isEmpty()) {
                return Future.succeededFuture(whole);
            }
            for (ReadRequest r : refusedReads) {
                if (split.add(r.area().name())) {
                    notes.add(r.area().name() + " at " + r.area().start() + ": the device refused read " + r.start() + "+" + r.count()
                            + " (exception 02); its points are read without bridging padding");
                }
            }
            SunSpecProfiles.Compiled byRuns = profiles.compile(layout, limits, new ReadFallback(split, List.of()));
            List<ReadRequest> inSplit = byRuns.decoder().plan().reads().stream().filter(r -> split.contains(r.area().name())).toList();
            return refused(inSplit, 0, new ArrayList<>()).compose(stillRefused -> {
                if (stillRefused.isEmpty()) {
                    return Future.succeededFuture(profiles.compile(layout.withNotes(notes), limits, new ReadFallback(split, List.of())));
                }
                List<int[]> points = new ArrayList<>();
                for (ReadRequest r : stillRefused) {
                    points.addAll(pointsIn(byRuns, r));
                }
                return refusedPoints(points, 0, new ArrayList<>()).map(refused -> {
                    List<String> all = new ArrayList<>(notes);
                    if (!refused.isEmpty()) {
                        all.add("the device refuses " + names(byRuns, refused) + " even alone (exception 02); stored NULL");
                    }
                    return profiles.compile(layout.withNotes(all), limits, new ReadFallback(split, refused));
                });
            });
        });
    }

    /** The reads of {@code reads} the device answers with exception 02; link failures fail the probe. */
    private Future<List<ReadRequest>> refused(List<ReadRequest> reads, int i, List<ReadRequest> out) {
        if (i == reads.size()) {
            return Future.succeededFuture(out);
        }
        ReadRequest r = reads.get(i);
        return reader.read(r.start(), r.count()).transform(ar -> {
            if (ar.failed()) {
                if (!isRefusal(ar.cause())) {
                    return Future.failedFuture(ar.cause());
                }
                out.add(r);
            }
            return refused(reads, i + 1, out);
        });
    }

    private Future<List<int[]>> refusedPoints(List<int[]> points, int i, List<int[]> out) {
        if (i == points.size()) {
            return Future.succeededFuture(out);
        }
        int[] p = points.get(i);
        return readAll(p[0], p[1]).transform(ar -> {
            if (ar.failed()) {
                if (!isRefusal(ar.cause())) {
                    return Future.failedFuture(ar.cause());
                }
                out.add(p);
            }
            return refusedPoints(points, i + 1, out);
        });
    }

    /** Reads {@code count} registers in reads of at most the limit (a long string). */
    private Future<Void> readAll(int start, int count) {
        int n = Math.min(count, limits.maxRegisters());
        return reader.read(start, n).compose(w -> n == count ? Future.succeededFuture() : readAll(start + n, count - n));
    }

    private static boolean isRefusal(Throwable t) {
        return t instanceof ModbusReadException e && e.kind() == ModbusReadException.Kind.EXCEPTION_RESPONSE
                && e.exceptionCode() == ILLEGAL_DATA_ADDRESS;
    }

    /** Address and length of every point instance (and scale factor) inside read {@code r}. */
    private static List<int[]> pointsIn(SunSpecProfiles.Compiled c, ReadRequest r) {
        Set<Integer> seen = new LinkedHashSet<>();
        List<int[]> out = new ArrayList<>();
        for (TableSpec t : c.profile().tables()) {
            for (PointSpec p : t.points()) {
                for (int i = 0; i < t.rowsPerCycle(); i++) {
                    int at = p.addressOf(i);
                    if (at >= r.start() && at <= r.end() && seen.add(at)) {
                        out.add(new int[] { at, p.length() });
                    }
                    if (p.scaleFactor() != null && !p.scaleFactor().isConstant()) {
                        int sf = p.scaleFactor().addressOf(i);
                        if (sf >= r.start() && sf <= r.end() && seen.add(sf)) {
                            out.add(new int[] { sf, 1 });
                        }
                    }
                }
            }
        }
        return out;
    }

    private static String names(SunSpecProfiles.Compiled c, List<int[]> refused) {
        List<String> names = new ArrayList<>();
        for (TableSpec t : c.profile().tables()) {
            for (PointSpec p : t.points()) {
                for (int i = 0; i < t.rowsPerCycle(); i++) {
                    int at = p.addressOf(i);
                    for (int[] r : refused) {
                        if (r[0] == at) {
                            names.add(t.name() + "." + p.column() + " at " + at);
                        }
                    }
                }
            }
        }
        return names.isEmpty() ? refused.size() + " scale factor(s)" : String.join(", ", names.stream().distinct().toList());
    }
}
