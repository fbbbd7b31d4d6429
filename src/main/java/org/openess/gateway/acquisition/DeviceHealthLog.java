package org.openess.gateway.acquisition;

import java.time.Duration;

import org.jboss.logging.Logger;

/**
 * Logs what changed about a device, not the same thing every cycle: one line when it goes bad,
 * when it fails in a new way (another error kind or exception code) and when it recovers, and
 * while it stays bad one summary per {@code summaryInterval}. Confined to the poller's event loop.
 */
final class DeviceHealthLog {
    private static final Logger LOG = Logger.getLogger(DeviceHealthLog.class);

    private final String device;
    private final long summaryIntervalMillis;
    private String signature;
    private long badSinceMillis;
    private long nextSummaryMillis;
    private long failedCyclesAtLastLine;

    DeviceHealthLog(String device, Duration summaryInterval) {
        this.device = device;
        this.summaryIntervalMillis = summaryInterval.toMillis();
    }

    /** Called after each cycle with the health before and after it; {@code nowMillis} is wall-clock time. */
    void record(DeviceHealth before, DeviceHealth after, long nowMillis) {
        DeviceState was = before.state();
        DeviceState is = after.state();
        if (!is.bad()) {
            if (was.bad()) {
                LOG.infof("device %s is ok again after %s %s (%d cycle(s) with failed reads; last error: %s)", device,
                        duration(nowMillis - badSinceMillis), was.label(), before.consecutiveFailedCycles(), before.lastError());
            }
            signature = null;
            return;
        }
        String sig = is.label() + "/" + after.lastErrorKindLabel() + "/" + after.lastExceptionCode();
        if (!was.bad()) {
            badSinceMillis = nowMillis;
            LOG.warnf("device %s is %s: %s", device, is.label(), after.lastError());
        } else if (!sig.equals(signature)) {
            LOG.warnf("device %s is %s (was %s), failing differently: %s", device, is.label(), was.label(), after.lastError());
        } else {
            if (nowMillis - nextSummaryMillis >= 0) {
                LOG.warnf("device %s still %s for %s: %d cycle(s) with failed reads, %d since the last report; last error: %s", device,
                        is.label(), duration(nowMillis - badSinceMillis), after.consecutiveFailedCycles(),
                        after.consecutiveFailedCycles() - failedCyclesAtLastLine, after.lastError());
                nextSummaryMillis = nowMillis + summaryIntervalMillis;
                failedCyclesAtLastLine = after.consecutiveFailedCycles();
            }
            return;
        }
        signature = sig;
        nextSummaryMillis = nowMillis + summaryIntervalMillis;
        failedCyclesAtLastLine = after.consecutiveFailedCycles();
    }

    private static String duration(long millis) {
        long s = Math.max(0, millis) / 1000;
        return s < 120 ? s + " s" : s < 7200 ? (s / 60) + " min" : (s / 3600) + " h";
    }
}
