package org.openess.gateway.acquisition;

import java.time.Duration;

/**
 * When each device begins after a start: at an offset in [0, spread) drawn from its id, so that a
 * restart of a large site does not connect to every device and read it in the same millisecond,
 * and so that a device keeps its place across restarts (a device slow to connect is not slow on
 * one restart and first on the next).
 */
public final class StartSpread {
    private StartSpread() {
    }

    /**
     * The spread a start of {@code devices} devices uses: {@code configured}, or 0 when they are
     * no more than {@code maxConcurrentConnects}, since all of them connect at once anyway and
     * spreading them would only delay the first rows of a small site.
     */
    public static Duration effective(Duration configured, int devices, int maxConcurrentConnects) {
        return devices > maxConcurrentConnects ? configured : Duration.ZERO;
    }

    /** The offset of {@code deviceId} in milliseconds, in [0, spread); 0 when spread is 0. */
    public static long offsetMillis(String deviceId, Duration spread) {
        long spreadMillis = spread.toMillis();
        if (spreadMillis <= 0) {
            return 0;
        }
        // SplitMix64's finaliser: neighbouring ids (site-0001, site-0002) land far apart
        long z = deviceId.hashCode() * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return Long.remainderUnsigned(z, spreadMillis);
    }
}
