package org.openess.gateway.sunspec;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What discovery found on one device: the base of the {@code SunS} marker, the models in chain
 * order, the models it skipped (unknown id, rejected model file, or a shape the gateway cannot
 * store) with the reason, and the differences it noted between what the device serves and the
 * model files (a length that differs, a count that disagrees with the length, reads the device
 * refuses). The fingerprint changes whenever anything that decides how registers are decoded
 * changes (model ids, addresses, lengths, group counts), so a firmware update is noticed after a
 * reconnect instead of being decoded with the old layout.
 */
public record SunSpecLayout(int base, List<DiscoveredModel> models, List<String> skipped, List<String> notes) {

    public SunSpecLayout {
        models = List.copyOf(models);
        skipped = List.copyOf(skipped);
        notes = List.copyOf(notes);
    }

    public SunSpecLayout(int base, List<DiscoveredModel> models, List<String> skipped) {
        this(base, models, skipped, List.of());
    }

    /** The same layout with more notes (what reading it taught). */
    public SunSpecLayout withNotes(List<String> more) {
        List<String> all = new java.util.ArrayList<>(notes);
        all.addAll(more);
        return new SunSpecLayout(base, models, skipped, all);
    }

    public String fingerprint() {
        String key = base + ";" + models.stream().map(DiscoveredModel::describe).collect(Collectors.joining(";")) + ";"
                + String.join(";", skipped);
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String describe() {
        return "SunS at " + base + ": " + models.stream().map(DiscoveredModel::describe).collect(Collectors.joining(", "))
                + (skipped.isEmpty() ? "" : "; skipped: " + String.join("; ", skipped))
                + (notes.isEmpty() ? "" : "; differences: " + String.join("; ", notes));
    }
}
