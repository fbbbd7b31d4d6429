package org.openess.gateway.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.openess.gateway.acquisition.PipelineListener;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.decode.DecodedRow;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The last cycle with rows of each device, for {@code GET /api/devices/{id}/latest}. The values
 * are copied into rows allocated once per device (again only when the device's row shape
 * changes, e.g. a SunSpec layout after a firmware update), not kept by reference: holding each
 * cycle's own rows for a second made them survive young collections, and at 1,000 devices that
 * doubled the full collections (23 against 10 in 100 s, BENCHMARKS.md "RSS at N = 1,000").
 */
@ApplicationScoped
public class LatestValues implements PipelineListener {
    private final Map<String, Copy> latest = new ConcurrentHashMap<>();

    /** One device's latest rows; written by its poller's event loop, read by API requests, both under the lock. */
    private static final class Copy {
        private long tickMillis;
        private List<DecodedRow> rows = List.of();

        synchronized void update(CycleOutput output) {
            List<DecodedRow> in = output.rows();
            if (!sameShape(in)) {
                List<DecodedRow> fresh = new ArrayList<>(in.size());
                for (DecodedRow r : in) {
                    fresh.add(new DecodedRow(r.layout(), r.device(), 0));
                }
                rows = fresh;
            }
            for (int i = 0; i < in.size(); i++) {
                in.get(i).copyValuesTo(rows.get(i));
            }
            tickMillis = output.tickMillis();
        }

        private boolean sameShape(List<DecodedRow> in) {
            if (in.size() != rows.size()) {
                return false;
            }
            for (int i = 0; i < in.size(); i++) {
                if (in.get(i).layout() != rows.get(i).layout()) {
                    return false;
                }
            }
            return true;
        }

        /** Fresh rows carrying the tick (the kept rows' own tick is not maintained). */
        synchronized CycleOutput snapshot(String device) {
            List<DecodedRow> out = new ArrayList<>(rows.size());
            for (DecodedRow r : rows) {
                DecodedRow c = new DecodedRow(r.layout(), device, tickMillis);
                r.copyValuesTo(c);
                out.add(c);
            }
            return new CycleOutput(device, tickMillis, out, List.of(), List.of());
        }
    }

    @Override
    public void accept(CycleOutput output) {
        if (!output.rows().isEmpty()) {
            latest.computeIfAbsent(output.device(), s -> new Copy()).update(output);
        }
    }

    /** Null when the device has not produced a row yet. */
    public CycleOutput of(String device) {
        Copy c = latest.get(device);
        return c == null ? null : c.snapshot(device);
    }
}
