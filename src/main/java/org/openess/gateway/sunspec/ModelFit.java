package org.openess.gateway.sunspec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fits a model file to the length {@code L} a device declares for it; the device's length is
 * trusted because it is what the device serves:
 * <ul>
 * <li>a group that fills the model (count 0) gets as many whole instances as fit;</li>
 * <li>when the counts read from the device give another length and exactly one top-level group
 * is counted by a point, that group gets as many instances as the length holds (a count point
 * that disagrees with the length, as on some 803 banks);</li>
 * <li>otherwise a shorter model has its points past the end stored NULL, and a longer one has
 * its extra registers left undecoded.</li>
 * </ul>
 * Every difference gives a note, reported once per layout.
 */
record ModelFit(List<GroupShape> shapes, String note) {

    static ModelFit of(SunSpecModel model, int length, Map<String, Integer> countValues) {
        SunSpecModel.Group top = model.group();
        List<GroupShape> shapes = new ArrayList<>();
        for (SunSpecModel.Group g : top.groups()) {
            shapes.add(shape(g, countValues));
        }
        int used = top.pointRegisters() - 2;
        int fill = -1;
        int counted = -1;
        int countedGroups = 0;
        for (int i = 0; i < shapes.size(); i++) {
            SunSpecModel.Group g = top.groups().get(i);
            if (g.fillsModel()) {
                fill = i;
                continue;
            }
            used += shapes.get(i).count() * shapes.get(i).instanceRegisters(g);
            if (g.countPoint() != null) {
                counted = i;
                countedGroups++;
            }
        }
        if (fill >= 0) {
            SunSpecModel.Group g = top.groups().get(fill);
            GroupShape s = shapes.get(fill);
            int len = s.instanceRegisters(g);
            int rest = length - used;
            if (rest < 0 || len == 0) {
                shapes.set(fill, new GroupShape(0, s.groups()));
                return new ModelFit(shapes, rest < 0 ? shorter(used, length) : null);
            }
            shapes.set(fill, new GroupShape(rest / len, s.groups()));
            return new ModelFit(shapes, rest % len == 0 ? null
                    : "the last " + rest % len + " of the " + rest + " registers after the fixed points are not a whole '" + g.name()
                            + "' group of " + len + " and are not decoded");
        }
        if (used == length) {
            return new ModelFit(shapes, null);
        }
        if (countedGroups == 1) {
            SunSpecModel.Group g = top.groups().get(counted);
            GroupShape s = shapes.get(counted);
            int len = s.instanceRegisters(g);
            int others = used - s.count() * len;
            if (len > 0 && length >= others && (length - others) % len == 0) {
                int trusted = (length - others) / len;
                shapes.set(counted, new GroupShape(trusted, s.groups()));
                return new ModelFit(shapes, "count point '" + g.countPoint() + "' says " + s.count() + " but the declared length " + length
                        + " holds " + trusted + " '" + g.name() + "' group(s) of " + len + " registers; the length is trusted");
            }
        }
        return new ModelFit(shapes, used > length ? shorter(used, length)
                : "the device declares " + length + " registers but the model file defines " + used + "; the last " + (length - used)
                        + " are not decoded");
    }

    private static String shorter(int used, int length) {
        return "the model file defines " + used + " registers but the device declares " + length
                + "; the points past its end are stored NULL";
    }

    private static GroupShape shape(SunSpecModel.Group g, Map<String, Integer> countValues) {
        int count = g.countPoint() != null ? countValues.get(g.countPoint()) : g.countConstant();
        List<GroupShape> inner = new ArrayList<>();
        for (SunSpecModel.Group h : g.groups()) {
            inner.add(shape(h, countValues));
        }
        return new GroupShape(count, inner);
    }
}
