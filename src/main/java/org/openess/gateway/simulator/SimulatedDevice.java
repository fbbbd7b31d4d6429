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
    /** For each table, for each of its points: the index of the point's area in images. */
    private final int[][] pointAreas;
    private long imageSecond = Long.MIN_VALUE;
    private final java.util.Map<String, Double> overrides = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile int excursionEvery;

    public SimulatedDevice(Profile profile, int index, int glitchEvery) {
        this.profile = profile;
        this.index = index;
        this.glitchEvery = glitchEvery;
        this.images = new int[profile.areas().size()][];
        for (int i = 0; i < images.length; i++) {
            images[i] = new int[profile.areas().get(i).count()];
        }
        // looked up once here, not once per point and second in refresh
        List<TableSpec> tables = profile.tables();
        this.pointAreas = new int[tables.size()][];
        for (int t = 0; t < tables.size(); t++) {
            List<PointSpec> points = tables.get(t).points();
            pointAreas[t] = new int[points.size()];
            for (int p = 0; p < points.size(); p++) {
                pointAreas[t][p] = profile.areas().indexOf(points.get(p).area());
            }
        }
    }

    @Override
    public int index() {
        return index;
    }

    /**
     * Serves {@code value} for a column's instance (0-based: rack 1 is 0) from the next second on,
     * instead of the value model's; null returns to the model. For tests that drive alarms.
     */
    public void override(String column, int instance, Double value) {
        String key = column + "#" + instance;
        if (value == null) {
            overrides.remove(key);
        } else {
            overrides.put(key, value);
        }
        synchronized (this) {
            imageSecond = Long.MIN_VALUE;
        }
    }

    /**
     * Every {@code seconds} (0 = never) rack 1's hottest cell (operation1's RACK_MAX_CELL_TEMPERATURE)
     * heats past the 50 °C warning limit, hovers around it for a minute and cools down again: one
     * alarm that starts, does not flap, and ends.
     */
    public void excursionEvery(int seconds) {
        this.excursionEvery = seconds;
    }

    /** The excursion's value at {@code second}, or NaN outside it. */
    static double excursion(long second, int every, int index) {
        long t = Math.floorMod(second + index * 7L, (long) every);
        if (t < 5) {
            return 46 + t; // heating: 46 .. 50
        }
        if (t < 15) {
            return 51 + 0.3 * StrictMath.sin(t); // above the limit for longer than the on-delay
        }
        if (t < 70) {
            return 50 + 0.6 * StrictMath.sin(2 * Math.PI * t / 7.0); // hovering at the limit, inside the 1 °C deadband
        }
        if (t < 80) {
            return 48 - (t - 70) * 1.5; // cooling down
        }
        return Double.NaN;
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
        List<TableSpec> tables = profile.tables();
        for (int t = 0; t < tables.size(); t++) {
            TableSpec table = tables.get(t);
            List<PointSpec> points = table.points();
            for (int pi = 0; pi < points.size(); pi++) {
                PointSpec p = points.get(pi);
                int a = pointAreas[t][pi];
                for (int i = 0; i < table.rowsPerCycle(); i++) {
                    double v = ValueModel.value(p, index, i, second);
                    if (p == glitch && i == 0) {
                        v = p.max() + 1;
                    }
                    if (excursionEvery > 0 && i == 0 && p.column().equals("RACK_MAX_CELL_TEMPERATURE")) {
                        double e = excursion(second, excursionEvery, index);
                        v = Double.isNaN(e) ? v : e;
                    }
                    if (!overrides.isEmpty()) {
                        Double o = overrides.get(p.column() + "#" + i);
                        v = o != null ? o : v;
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
