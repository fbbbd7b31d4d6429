package org.openess.gateway.sunspec;

import java.time.Instant;
import java.util.List;

import org.jboss.logging.Logger;
import org.openess.gateway.plan.PlanLimits;
import org.openess.gateway.profile.TableSpec;

import io.vertx.core.Future;

/**
 * The SunSpec side of one device's poller: when the layout must be (re)discovered, the current
 * compiled layout, and what the status API shows. Discovery (the chain walk, then one try of
 * the planned reads, see {@link ReadProbe}) runs on every new connection (a
 * reconnect may follow a firmware update); until it has re-read the chain the device is not
 * polled with the old layout. A changed fingerprint replaces the layout; an unchanged one keeps
 * it. Failed discoveries are retried with a doubling delay (5 s up to 5 min) so a device that is
 * not SunSpec is not scanned every second. Used only on the poller's event-loop context.
 */
public final class SunSpecSession {
    private static final Logger LOG = Logger.getLogger(SunSpecSession.class);
    private static final long RETRY_MIN_MILLIS = 5_000;
    private static final long RETRY_MAX_MILLIS = 300_000;

    /** For {@code GET /api/status}: state is {@code discovering}, {@code polling} or {@code failed}. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record Status(String state, Integer base, String fingerprint, List<String> models, List<String> skipped,
            List<String> differences, List<String> tables, int reads, String error, String discoveredAt, int discoveries,
            int layoutChanges) {
    }

    private final SunSpecSupport support;
    private final String device;
    private final PlanLimits limits;
    private long discoveredOnConnect = -1;
    private long retryAtMillis;
    private int failures;
    private int discoveries;
    private int layoutChanges;
    private String lastLoggedError;
    private SunSpecProfiles.Compiled current;
    private volatile Status status = new Status("discovering", null, null, List.of(), List.of(), List.of(), List.of(), 0, null, null, 0,
            0);

    public SunSpecSession(SunSpecSupport support, String device, PlanLimits limits) {
        this.support = support;
        this.device = device;
        this.limits = limits;
    }

    public Status status() {
        return status;
    }

    /** True when the current layout was read on this connection and may be polled. */
    public boolean ready(long connects) {
        return current != null && discoveredOnConnect == connects;
    }

    /** True when a discovery should start now: connected, layout not read on this connection, not backing off. */
    public boolean due(long connects, boolean connected, long nowMillis) {
        return connected && discoveredOnConnect != connects && nowMillis >= retryAtMillis;
    }

    public boolean hasLayout() {
        return current != null;
    }

    /**
     * Reads the chain; completes with the new compiled layout when it differs from the current
     * one, with null when unchanged, or fails (not SunSpec, broken chain, link failure).
     */
    public Future<SunSpecProfiles.Compiled> discover(RegisterReader reader, long connects) {
        Status s = status;
        status = new Status("discovering", s.base(), s.fingerprint(), s.models(), s.skipped(), s.differences(), s.tables(), s.reads(), s.error(),
                s.discoveredAt(), s.discoveries(), s.layoutChanges());
        int[] reads = { 0 };
        RegisterReader counting = (start, count) -> {
            reads[0]++;
            return reader.read(start, count);
        };
        return new ChainWalker(support.models(), support.bases(), counting).discover()
                .compose(layout -> new ReadProbe(support.profiles(), limits, counting).compile(layout))
                .transform(ar -> {
                    if (ar.failed()) {
                        onFailure(ar.cause());
                        return Future.failedFuture(ar.cause());
                    }
                    return Future.succeededFuture(onSuccess(ar.result(), connects, reads[0]));
                });
    }

    private SunSpecProfiles.Compiled onSuccess(SunSpecProfiles.Compiled compiled, long connects, int reads) {
        discoveries++;
        discoveredOnConnect = connects;
        failures = 0;
        lastLoggedError = null;
        SunSpecLayout layout = compiled.layout();
        String fingerprint = layout.fingerprint();
        boolean changed = current == null || !current.layout().fingerprint().equals(fingerprint);
        if (current == null) {
            LOG.infof("device %s: SunSpec layout %s (fingerprint %s, %d reads of at most %d registers per cycle, found with %d reads)",
                    device, layout.describe(), fingerprint, compiled.decoder().plan().reads().size(), limits.maxRegisters(), reads);
        } else if (changed) {
            layoutChanges++;
            LOG.warnf("device %s: SunSpec layout changed after reconnect (fingerprint %s → %s): %s", device,
                    current.layout().fingerprint(), fingerprint, layout.describe());
        } else {
            LOG.debugf("device %s: SunSpec layout unchanged after reconnect (%s)", device, fingerprint);
        }
        if (!layout.skipped().isEmpty() && changed) {
            LOG.warnf("device %s: SunSpec models skipped: %s", device, String.join("; ", layout.skipped()));
        }
        if (!layout.notes().isEmpty() && changed) {
            LOG.warnf("device %s: SunSpec device differs from the model files (read as the device declares): %s", device,
                    String.join("; ", layout.notes()));
        }
        if (changed) {
            current = compiled;
        }
        status = new Status("polling", layout.base(), fingerprint,
                layout.models().stream().map(m -> m.describe() + " " + m.model().name()).toList(), layout.skipped(), layout.notes(),
                current.profile().tables().stream().map(TableSpec::name).distinct().toList(), current.decoder().plan().reads().size(),
                null, Instant.now().toString(), discoveries, layoutChanges);
        return changed ? compiled : null;
    }

    private void onFailure(Throwable cause) {
        failures++;
        long delay = Math.min(RETRY_MAX_MILLIS, RETRY_MIN_MILLIS << Math.min(10, failures - 1));
        retryAtMillis = System.currentTimeMillis() + delay;
        String error = cause.getMessage();
        if (!error.equals(lastLoggedError)) {
            LOG.errorf("device %s: SunSpec discovery failed: %s (retrying in %d s)", device, error, delay / 1000);
            lastLoggedError = error;
        }
        Status s = status;
        status = new Status("failed", s.base(), s.fingerprint(), s.models(), s.skipped(), s.differences(), s.tables(), s.reads(), error,
                s.discoveredAt(), s.discoveries(), s.layoutChanges());
    }
}
