package org.openess.gateway.sunspec;

/**
 * A model file of {@code ess.sunspec.models-dir} the gateway does not use: the file, the model id
 * its name promises (null when the name has none), the place in the file (group and point) and
 * why. Shown by {@code GET /api/status} and counted by a metric.
 */
@io.quarkus.runtime.annotations.RegisterForReflection
public record RejectedModel(String file, Integer id, String point, String reason) {

    public String describe() {
        return file + ": " + point + ": " + reason;
    }
}
