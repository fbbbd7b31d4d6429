package org.openess.gateway.sunspec;

import java.util.List;
import java.util.Set;

/**
 * What discovery learnt about reads a device refuses (exception 02): the models (by area name,
 * {@code model 705#1}) that must be read point by point instead of in reads that bridge padding
 * or run to the model's end, and the register ranges of points the device refuses even alone
 * (stored NULL). Kept with the layout for the whole connection.
 */
public record ReadFallback(Set<String> splitModels, List<int[]> refused) {
    public static final ReadFallback NONE = new ReadFallback(Set.of(), List.of());

    public ReadFallback {
        splitModels = Set.copyOf(splitModels);
        refused = List.copyOf(refused);
    }

    /** True when a refused range overlaps {@code size} registers from {@code address}. */
    public boolean refuses(int address, int size) {
        for (int[] r : refused) {
            if (address < r[0] + r[1] && r[0] < address + size) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return splitModels.isEmpty() && refused.isEmpty();
    }
}
