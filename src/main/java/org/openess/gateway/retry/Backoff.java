package org.openess.gateway.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential retry delay with jitter (Modbus reconnects, database write retries): min·2^attempt capped at max, then scaled by a random
 * factor in [0.5, 1.0] so that devices dropped together (a switch reboot) do not reconnect in step.
 */
public record Backoff(Duration min, Duration max) {
    public Backoff {
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < min <= max, got " + min + " / " + max);
        }
    }

    public long delayMillis(int attempt) {
        double base = min.toMillis() * Math.pow(2, Math.min(attempt, 30));
        double capped = Math.min(base, max.toMillis());
        return Math.max(1, (long) (capped * (0.5 + 0.5 * ThreadLocalRandom.current().nextDouble())));
    }
}
