package org.openess.gateway.deploy;

import java.util.Map;

/**
 * What the deployment files already use but the service does not have yet, each with the issue
 * that adds it. The checks accept these, and only while they are still missing: when one lands,
 * the check fails and asks to delete its line here, so that from then on it is checked against
 * the code like everything else (and a name that landed differently shows up as unknown).
 */
final class Pending {
    private Pending() {
    }

    /** Configuration keys (issue 8: the durable spool and the bounded shutdown). */
    static final Map<String, String> KEYS = Map.of(
            "ess.spool.dir", "issue 8 (durable spool)",
            "ess.spool.max-bytes", "issue 8 (durable spool)",
            "ess.spool.sync", "issue 8 (durable spool)",
            "ess.shutdown.timeout", "issue 8 (SIGTERM within a bounded time)");

    /** HTTP paths (quarkus-smallrye-health and metrics, by the operations work). */
    static final Map<String, String> PATHS = Map.of(
            "/q/health/live", "operations: quarkus-smallrye-health",
            "/q/health/ready", "operations: quarkus-smallrye-health",
            "/q/metrics", "operations: metrics");
}
