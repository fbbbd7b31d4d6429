package org.openess.gateway.ops;

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
            latest.put(output.site(), output);
        }
    }

    /** Null when the device has not produced a row yet. */
    public CycleOutput of(String site) {
        return latest.get(site);
    }
}
