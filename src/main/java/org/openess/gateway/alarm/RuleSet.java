package org.openess.gateway.alarm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.openess.gateway.profile.Profile;
import org.openess.gateway.profile.ProtectionSection;
import org.openess.gateway.profile.TableLayout;
import org.openess.gateway.sunspec.SunSpecEventBits;

/**
 * A profile's protection rules compiled per table layout (column indexes resolved once), shared by
 * every device of that profile; for SunSpec devices, the battery model's event bits.
 */
final class RuleSet {
    private final Profile profile;
    private final List<SunSpecEventBits.EventBit> eventBits;
    private final long onDelayMillis;
    private final long offDelayMillis;
    private final Map<TableLayout, List<Check>> byLayout = new ConcurrentHashMap<>();

    RuleSet(Profile profile) {
        this(profile, List.of());
    }

    /**
     * {@code eventBits}: a SunSpec device's battery event bits; its profile (discovered at run time)
     * has no protection section, its layouts arrive here as the device finds them.
     */
    RuleSet(Profile profile, List<SunSpecEventBits.EventBit> eventBits) {
        this.profile = profile;
        this.eventBits = List.copyOf(eventBits);
        this.onDelayMillis = Math.round(profile.protection().onDelaySeconds() * 1000);
        this.offDelayMillis = Math.round(profile.protection().offDelaySeconds() * 1000);
    }

    long onDelayMillis() {
        return onDelayMillis;
    }

    long offDelayMillis() {
        return offDelayMillis;
    }

    List<Check> checks(TableLayout layout) {
        return byLayout.computeIfAbsent(layout, this::compile);
    }

    private List<Check> compile(TableLayout layout) {
        List<Check> checks = new ArrayList<>();
        ProtectionSection p = profile.protection();
        for (ProtectionSection.Limit l : p.limits()) {
            if (!l.table().equals(layout.table())) {
                continue;
            }
            int col = indexOf(layout, l.column());
            if (col < 0) {
                continue;
            }
            String unit = profile.unit(l.table(), l.column());
            if (l.warning() != null) {
                checks.add(new Check(l.code(), "warning", col, l.column(), unit, l.when(), l.warning(), l.deadband(), false, 0));
            }
            if (l.fault() != null) {
                checks.add(new Check(l.code(), "fault", col, l.column(), unit, l.when(), l.fault(), l.deadband(), false, 0));
            }
        }
        for (ProtectionSection.Flag f : p.flags()) {
            int col = f.table().equals(layout.table()) ? indexOf(layout, f.column()) : -1;
            if (col >= 0) {
                checks.add(Check.flag(f.code(), f.level(), col, f.column()));
            }
        }
        for (SunSpecEventBits.EventBit b : eventBits) {
            int col = b.table().equals(layout.table()) ? indexOf(layout, b.column()) : -1;
            if (col >= 0) {
                checks.add(Check.bit(b.symbol(), b.level(), col, b.column(), b.bit()));
            }
        }
        return List.copyOf(checks);
    }

    private static int indexOf(TableLayout layout, String column) {
        List<TableLayout.Column> cols = layout.columns();
        for (int i = 0; i < cols.size(); i++) {
            if (cols.get(i).name().equals(column)) {
                return i;
            }
        }
        return -1;
    }
}
