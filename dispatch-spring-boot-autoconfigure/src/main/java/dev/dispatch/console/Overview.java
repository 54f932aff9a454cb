package dev.dispatch.console;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The state of the engine and its backlog, for the console's overview.
 *
 * @param node this node's name in leases
 * @param byStatus invocations by status
 * @param byFunction invocations by function, then status
 * @param workersBusy workers of this node running an attempt
 * @param workers workers of this node in all
 * @param queueDepth ids waiting in this node's ready queue
 * @param oldestPendingAgeMillis how long the longest-waiting due invocation has waited, if any waits
 * @param functions the functions this node runs and those recorded in the store
 * @param perMinute calls that finished in each minute of the last hour, oldest first
 */
record Overview(
        String node,
        Map<String, Long> byStatus,
        Map<String, Map<String, Long>> byFunction,
        int workersBusy,
        int workers,
        int queueDepth,
        @Nullable Long oldestPendingAgeMillis,
        Set<String> functions,
        List<MinuteCount> perMinute) {}
