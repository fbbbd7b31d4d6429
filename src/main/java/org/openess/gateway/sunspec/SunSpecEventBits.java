package org.openess.gateway.sunspec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The battery model's (802) alarm and warning bits as alarm rules, read from the model's own
 * symbols so a model file from {@code ess.sunspec.models-dir} counts as much as the built-in one:
 * every named bit of a top-level bitfield point ({@code Evt1}, and {@code Evt2} or vendor fields
 * when their definition names bits) becomes one flag rule on that column of {@code sunspec_battery}.
 * A name ending in {@code WARNING} or {@code WRN} is a warning; every other named bit (alarms,
 * errors, faults) is a fault, except {@code RESERVED*} bits, which name nothing to act on.
 */
public final class SunSpecEventBits {
    public static final int BATTERY_MODEL = 802;

    /** One bit of one bitfield column: active while the bit is set; {@code symbol} is the alarm code. */
    public record EventBit(String table, String column, int bit, String symbol, String level) {
    }

    private SunSpecEventBits() {
    }

    public static List<EventBit> of(SunSpecModels models) {
        SunSpecModel battery = models.get(BATTERY_MODEL);
        if (battery == null) {
            return List.of();
        }
        String table = SunSpecProfiles.tableName(battery);
        List<EventBit> out = new ArrayList<>();
        for (SunSpecModel.Point p : battery.group().points()) {
            for (Map.Entry<Integer, String> b : new TreeMap<>(p.bits()).entrySet()) {
                String symbol = b.getValue();
                String upper = symbol.toUpperCase(Locale.ROOT);
                if (upper.startsWith("RESERVED")) {
                    continue;
                }
                String level = upper.endsWith("WARNING") || upper.endsWith("WRN") ? "warning" : "fault";
                out.add(new EventBit(table, p.name(), b.getKey(), symbol, level));
            }
        }
        return List.copyOf(out);
    }
}
