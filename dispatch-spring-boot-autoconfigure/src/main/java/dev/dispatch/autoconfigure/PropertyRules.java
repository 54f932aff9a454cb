package dev.dispatch.autoconfigure;

import java.time.Duration;
import java.util.Set;

/**
 * The allowed range of every {@code dispatch.*} setting, in one place: docs/configuration.md gives the same ranges.
 * Field names are the properties' Java names; the failure analysis shows them as {@code dispatch.*} names.
 */
final class PropertyRules {

    /** Column length of {@code lease_owner} and {@code function_name}. */
    static final int NAME_LENGTH = 255;

    /** The heartbeat renews a lease every third of it, and at most every 100 ms: a shorter lease outruns it. */
    static final Duration MIN_LEASE = Duration.ofSeconds(1);

    /** The platforms whose schema script ships in the jar ({@code schema-@@platform@@.sql}). */
    static final Set<String> SHIPPED_PLATFORMS = Set.of("h2", "postgresql", "mysql");

    private PropertyRules() {}

    static void check(DispatchProperties p, PropertyRanges ranges) {
        Integer workers = p.getWorkers();
        if (workers != null) {
            ranges.between("workers", workers, 1, 10_000);
        }
        ranges.positive("pollInterval", p.getPollInterval())
                .atLeast("leaseDuration", p.getLeaseDuration(), MIN_LEASE, "the heartbeat renews it every third")
                .positive("callTimeout", p.getCallTimeout())
                .notNegative("timeout", p.getTimeout())
                .atLeast("concurrency", p.getConcurrency(), 0)
                .maxLength("nodeId", p.getNodeId(), NAME_LENGTH, "the length of the lease_owner column")
                .between("queueCapacity", p.getQueueCapacity(), 1, 10_000_000)
                .notNegative("shutdownGracePeriod", p.getShutdownGracePeriod())
                .between("maxCallsPerStep", p.getMaxCallsPerStep(), 1, 10_000_000);
        Integer claimAhead = p.getClaimAhead();
        if (claimAhead != null) {
            ranges.between("claimAhead", claimAhead, 0, 100_000);
        }
        if (p.getMaxPayloadSize() == null || p.getMaxPayloadSize().toBytes() < 1) {
            ranges.reject("maxPayloadSize", "must be a positive size (e.g. 64KB, 1MB)");
        }
        DispatchProperties.Retry retry = p.getRetry();
        ranges.between("retry.maxAttempts", retry.getMaxAttempts(), 1, 1_000_000)
                .notNegative("retry.initialBackoff", retry.getInitialBackoff())
                .atLeast("retry.multiplier", retry.getMultiplier(), 1.0);
        if (retry.getInitialBackoff() != null
                && retry.getMaxBackoff() != null
                && retry.getMaxBackoff().compareTo(retry.getInitialBackoff()) < 0) {
            ranges.reject("retry.maxBackoff", "must be at least dispatch.retry.initial-backoff");
        }
        DispatchProperties.Jdbc jdbc = p.getJdbc();
        String platform = jdbc.getPlatform();
        if (platform != null
                && DispatchProperties.Jdbc.DEFAULT_SCHEMA_LOCATION.equals(jdbc.getSchema())
                && !SHIPPED_PLATFORMS.contains(platform)) {
            // the shipped scripts are named by platform: another one finds no script and stops the startup later,
            // with a stack trace that names no property
            ranges.reject("jdbc.platform", "must be one of h2, postgresql, mysql (MariaDB uses mysql)");
        }
        DispatchProperties.Retention retention = p.getRetention();
        ranges.notNegative("retention.succeeded", retention.getSucceeded())
                .notNegative("retention.failed", retention.getFailed())
                .between("retention.batchSize", retention.getBatchSize(), 1, 10_000);
    }

    static void check(DispatchActuatorProperties p, PropertyRanges ranges) {
        ranges.between("pageSize", p.getPageSize(), 1, 1_000);
    }

    static void check(DispatchConsoleProperties p, PropertyRanges ranges) {
        ranges.between("pageSize", p.getPageSize(), 1, 1_000)
                .between("bulkLimit", p.getBulkLimit(), 1, 1_000_000)
                .positive("refreshInterval", p.getRefreshInterval());
        if (p.getPath() == null || p.getPath().isBlank()) {
            ranges.reject("path", "must not be blank");
        }
    }
}
