package org.openess.gateway.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import org.openess.gateway.profile.Area;
import org.openess.gateway.profile.PointSpec;
import org.openess.gateway.profile.Profile;
import org.openess.gateway.profile.TableSpec;

/**
 * The request optimiser: merges every point instance of a profile into the fewest reads. A read
 * grows over the next span while it stays inside the same area, within the size limit, and the
 * hole it would bridge is at most {@code maxGap} (0 in the areas given as exact: a device that
 * refuses reads over padding is read point run by point run). A span (one value, e.g. the two
 * registers of a uint32) is not split across reads, so each value is decoded from one response;
 * only a value longer than one read (a SunSpec string of more than 125 registers) is read in
 * consecutive pieces, which never leave its area.
 */
public final class RequestPlanner {
    private RequestPlanner() {
    }

    /** A contiguous range of addresses that must be read together. */
    record Span(Area area, int start, int length) {
        int end() {
            return start + length - 1;
        }
    }

    public static RequestPlan plan(Profile profile, PlanLimits limits) {
        return plan(profile, limits, Set.of());
    }

    public static RequestPlan plan(Profile profile, PlanLimits limits, Set<Area> exact) {
        List<Span> spans = new ArrayList<>();
        for (TableSpec table : profile.tables()) {
            for (PointSpec point : table.points()) {
                for (int i = 0; i < table.rowsPerCycle(); i++) {
                    int max = limits.maxFor(point.area().function());
                    for (int at = 0; at < point.length(); at += max) {
                        spans.add(new Span(point.area(), point.addressOf(i) + at, Math.min(max, point.length() - at)));
                    }
                }
            }
        }
        return plan(spans, limits, exact);
    }

    static RequestPlan plan(List<Span> spans, PlanLimits limits) {
        return plan(spans, limits, Set.of());
    }

    static RequestPlan plan(List<Span> spans, PlanLimits limits, Set<Area> exact) {
        List<Span> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparingInt((Span s) -> s.area().function().code()).thenComparingInt(Span::start)
                .thenComparingInt(Span::length));
        List<ReadRequest> reads = new ArrayList<>();
        Area area = null;
        int start = 0;
        int end = -1;
        for (Span span : sorted) {
            int max = limits.maxFor(span.area().function());
            if (span.length() > max) {
                throw new IllegalArgumentException("a value of " + span.length() + " registers cannot fit a read of at most " + max);
            }
            if (area != null) {
                boolean sameArea = span.area().equals(area);
                int newEnd = Math.max(end, span.end());
                boolean fits = newEnd - start + 1 <= max;
                boolean gapOk = span.start() - end - 1 <= (exact.contains(area) ? 0 : limits.maxGap());
                if (sameArea && fits && gapOk) {
                    end = newEnd;
                    continue;
                }
                reads.add(new ReadRequest(reads.size(), area, area.function(), start, end - start + 1));
            }
            area = span.area();
            start = span.start();
            end = span.end();
        }
        if (area != null) {
            reads.add(new ReadRequest(reads.size(), area, area.function(), start, end - start + 1));
        }
        return new RequestPlan(List.copyOf(reads));
    }
}
