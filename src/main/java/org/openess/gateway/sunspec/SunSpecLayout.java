package org.openess.gateway.sunspec;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What discovery found on one device: the base of the {@code SunS} marker, the models in chain
 * order, and the models it skipped (unknown id, or a shape the gateway cannot store) with the
 * reason. The fingerprint changes whenever anything that decides how registers are decoded
 * changes (model ids, addresses, lengths, group counts), so a firmware update is noticed after a
 * reconnect instead of being decoded with the old layout.
 */
public record SunSpecLayout(int base, List<DiscoveredModel> models, List<String> skipped) {

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
                + (skipped.isEmpty() ? "" : "; skipped: " + String.join("; ", skipped));
    }
}
