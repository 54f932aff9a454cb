package dev.dispatch.actuate;

import dev.dispatch.store.InvocationQueries;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The state of the engine and its backlog, as {@code GET /actuator/dispatch} shows it.
 *
 * @param node this node's name in leases
 * @param byStatus invocations by status
 * @param byFunction invocations by function, then status
 * @param workers workers busy and in all on this node
 * @param queueDepth ids waiting in this node's ready queue
 * @param oldestPendingAgeMillis how long the longest-waiting due invocation has waited, if any waits
 * @param unrunnable pending invocations of functions this node does not have (another version may)
 * @param functions the functions this node runs
 * @param recentFailures the latest failures
 * @param invocations the invocations the filters selected, newest first
 * @param concurrency the functions with a concurrency limit (configured, or adaptive after throttling), by name
 * @param rateLimits the functions with a rate limit, by name
 * @param concurrencyKeys the functions with a concurrency key, by name
 */
public record DispatchSummary(
        String node,
        Map<String, Long> byStatus,
        Map<String, Map<String, Long>> byFunction,
        Workers workers,
        int queueDepth,
        @Nullable Long oldestPendingAgeMillis,
        long unrunnable,
        Set<String> functions,
        List<InvocationSummary> recentFailures,
        List<InvocationSummary> invocations,
        Map<String, Concurrency> concurrency,
        Map<String, Rate> rateLimits,
        Map<String, Keyed> concurrencyKeys) {

    /**
     * Workers of this node.
     *
     * @param busy running attempts now
     * @param total in all
     */
    public record Workers(int busy, int total) {}

    /**
     * The concurrency limit of one function.
     *
     * @param configured the configured limit across all nodes ({@code @DispatchFunction(concurrency)}), 0 for none
     * @param current the limit this node applies now: lowered when attempts are throttled, raised by successes
     * @param running invocations of it running now, across all nodes
     */
    public record Concurrency(int configured, double current, long running) {}

    /**
     * The rate limit of one function.
     *
     * @param limit as declared, e.g. {@code 100/1s}
     * @param tokens whole tokens its bucket holds now (attempts that may start at once), across all nodes
     * @param waiting its invocations pending now, due or not
     */
    public record Rate(String limit, long tokens, long waiting) {}

    /**
     * The concurrency key of one function.
     *
     * @param key the SpEL expression, as declared
     * @param perKey most running at once per value, across all nodes
     * @param byKey calls running and waiting per value (the busiest {@value FlowControl#KEYS_SHOWN} values), across
     *     all nodes
     */
    public record Keyed(String key, int perKey, Map<String, InvocationQueries.KeyCount> byKey) {}
}
