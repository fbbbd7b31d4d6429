package org.openess.gateway.simulator;

import java.util.List;

import org.openess.gateway.profile.Area;
import org.openess.gateway.profile.FunctionCode;
import org.openess.gateway.profile.PointSpec;
import org.openess.gateway.profile.Profile;
import org.openess.gateway.profile.TableSpec;

/**
 * One simulated device: the register image of every area of its profile, recomputed lazily once
 * per wall-clock second, so a thousand idle devices cost nothing between polls. Unmapped
 * registers inside an area read as 0. Every {@code glitchEvery} seconds one range-checked point
 * is served out of range, so the quality path is exercised too (0 = never).
 */
public final class SimulatedDevice implements SimulatedRegisters {
    private final Profile profile;
    private final int index;
    private final int glitchEvery;
    private final int[][] images;
    private long imageSecond = Long.MIN_VALUE;

    public SimulatedDevice(Profile profile, int index, int glitchEvery) {
        this.profile = profile;
        this.index = index;
        this.glitchEvery = glitchEvery;
        this.images = new int[profile.areas().size()][];
        for (int i = 0; i < images.length; i++) {
            images[i] = new int[profile.areas().get(i).count()];
        }
    }

    @Override
    public int index() {
        return index;
    }

    /**
     * The values served for a read at {@code nowMillis}, or null when the range is not inside
     * one area (the server answers "illegal data address").
     */
    @Override
    public synchronized int[] read(FunctionCode function, int start, int count, long nowMillis) {
        List<Area> areas = profile.areas();
        for (int a = 0; a < areas.size(); a++) {
            Area area = areas.get(a);
            if (area.function() == function && area.contains(start, count)) {
                refresh(Math.floorDiv(nowMillis, 1000));
                int[] out = new int[count];
                System.arraycopy(images[a], start - area.start(), out, 0, count);
                return out;
            }
        }
        return null;
    }

    /** The image of area {@code areaIndex} at second {@code epochSecond} (a copy; for tests). */
    public synchronized int[] imageAt(int areaIndex, long epochSecond) {
        refresh(epochSecond);
        return images[areaIndex].clone();
    }

    private void refresh(long second) {
        if (second == imageSecond) {
            return;
        }
        imageSecond = second;
        for (int[] image : images) {
            java.util.Arrays.fill(image, 0);
        }
        PointSpec glitch = glitchEvery > 0 && Math.floorMod(second + index, glitchEvery) == 0 ? glitchPoint() : null;
        for (TableSpec table : profile.tables()) {
            for (PointSpec p : table.points()) {
                int a = profile.areas().indexOf(p.area());
                for (int i = 0; i < table.rowsPerCycle(); i++) {
                    double v = ValueModel.value(p, index, i, second);
                    if (p == glitch && i == 0) {
                        v = p.max() + 1;
                    }
                    RegisterEncoder.encode(p, v, images[a], p.addressOf(i) - p.area().start());
                }
            }
        }
    }

    /** The first integer point with a maximum that its type can exceed (flags with max 3). */
    private PointSpec glitchPoint() {
        for (TableSpec table : profile.tables()) {
            for (PointSpec p : table.points()) {
                if (p.max() != null && !p.invert() && !p.type().isFloat() && p.type().isNumeric() && p.scale() == 1.0
                        && p.max() < 1000) {
                    return p;
                }
            }
        }
        return null;
    }
}
