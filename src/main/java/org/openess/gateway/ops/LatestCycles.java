package org.openess.gateway.ops;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.openess.gateway.decode.CycleOutput;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The last cycle with rows of each device, for {@code GET /api/devices/{id}/latest}: one
 * reference per device, replaced (not copied) on each cycle, so keeping it costs the poller nothing.
 */
@ApplicationScoped
public class LatestCycles {
    private final Map<String, CycleOutput> latest = new ConcurrentHashMap<>();

    void accept(CycleOutput output) {
        if (!output.rows().isEmpty()) {
            // the rows only: the cycle's quality and gap records need not live on
            latest.put(output.site(), new CycleOutput(output.site(), output.tickMillis(), output.rows(), List.of(), List.of()));
        }
    }

    /** Null when the device has not produced a row yet. */
    public CycleOutput of(String site) {
        return latest.get(site);
    }
}
