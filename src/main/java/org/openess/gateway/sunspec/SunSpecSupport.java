package org.openess.gateway.sunspec;

import java.util.List;

/**
 * What every SunSpec device of a gateway shares: the model definitions, the marker bases to try,
 * and the table layouts discovered so far (one per table across devices).
 */
public record SunSpecSupport(SunSpecModels models, List<Integer> bases, SunSpecProfiles profiles) {
    /** 40001: devices that count registers from 1 and put the marker one register later. */
    public static final List<Integer> DEFAULT_BASES = List.of(40000, 40001, 0, 50000);

    public SunSpecSupport {
        if (bases.isEmpty()) {
            throw new SunSpecException("ess.sunspec.bases: give at least one register address");
        }
        for (int b : bases) {
            if (b < 0 || b > 65533) {
                throw new SunSpecException("ess.sunspec.bases: " + b + " is not a register address 0..65533");
            }
        }
        bases = List.copyOf(bases);
    }

    public static SunSpecSupport builtin() {
        return new SunSpecSupport(SunSpecModels.builtin(), DEFAULT_BASES, new SunSpecProfiles());
    }
}
