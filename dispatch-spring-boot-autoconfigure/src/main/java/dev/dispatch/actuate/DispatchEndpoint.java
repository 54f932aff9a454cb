package dev.dispatch.actuate;

import dev.dispatch.aop.FunctionRegistry;
import dev.dispatch.engine.ConcurrencyLimits;
import dev.dispatch.engine.Scheduler;
import dev.dispatch.store.CallGroup;
import dev.dispatch.store.Invocation;
import dev.dispatch.store.InvocationQueries;
import dev.dispatch.store.InvocationStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code dispatch} actuator endpoint: the engine's console. Read-only; {@link WritableDispatchEndpoint} adds the
 * write operations when they are enabled.
 */
@Endpoint(id = "dispatch")
public class DispatchEndpoint {

    private static final int STACK_LINES = 25;

    private final InvocationQueries queries;

    private final InvocationStore store;

    private final Scheduler scheduler;

    private final FunctionRegistry registry;

    private final String node;

    private final Show showValues;

    private final Set<String> roles;

    private final int pageSize;

    private final ConcurrencyLimits limits;

    public DispatchEndpoint(
            InvocationQueries queries,
            InvocationStore store,
            Scheduler scheduler,
            FunctionRegistry registry,
            String node,
            Show showValues,
            Set<String> roles,
            int pageSize,
            ConcurrencyLimits limits) {
        this.queries = queries;
        this.store = store;
        this.scheduler = scheduler;
        this.registry = registry;
        this.node = node;
        this.showValues = showValues;
        this.roles = roles;
        this.pageSize = pageSize;
        this.limits = limits;
    }

    /**
     * The summary, with the invocations that the optional filters select, newest first.
     *
     * @param status only invocations in this status
     * @param function only invocations of this function
     * @param root only invocations of the tree with this root
     * @param limit at most this many invocations (default: the page size)
     */
    @ReadOperation
    public DispatchSummary summary(
            @Nullable String status, @Nullable String function, @Nullable String root, @Nullable Integer limit) {
        Instant now = Instant.now();
        Long oldestAge = this.queries
                .oldestDue(now)
                .map(due -> Duration.between(due, now).toMillis())
                .orElse(null);
        int max = (limit != null && limit > 0) ? Math.min(limit, 1000) : this.pageSize;
        Map<String, Map<String, Long>> byFunction = this.queries.countByFunction();
        Map<String, DispatchSummary.Concurrency> concurrency = new TreeMap<>();
        this.limits
                .limited()
                .forEach((name, current) -> concurrency.put(
                        name,
                        new DispatchSummary.Concurrency(
                                this.limits.configured(name),
                                current,
                                byFunction.getOrDefault(name, Map.of()).getOrDefault("RUNNING", 0L))));
        return new DispatchSummary(
                this.node,
                this.queries.countByStatus(),
                byFunction,
                new DispatchSummary.Workers(this.scheduler.busyWorkers(), this.scheduler.workers()),
                this.scheduler.queueDepth(),
                oldestAge,
                this.queries.countUnrunnable(this.registry.names()),
                new TreeSet<>(this.registry.names()),
                summaries(this.queries.recentFailures(10)),
                summaries(this.queries.list(status, function, root, max)),
                concurrency);
    }

    /**
     * One invocation with its children by step.
     *
     * @param id the invocation
     * @param step show only this step
     * @param offset position of the first child shown in each step
     * @param limit children shown per step (default: the page size)
     */
    @ReadOperation
    public @Nullable InvocationDetails invocation(
            @Selector String id,
            @Nullable Integer step,
            @Nullable Integer offset,
            @Nullable Integer limit,
            SecurityContext securityContext) {
        Invocation invocation = this.store.find(id).orElse(null);
        if (invocation == null) {
            return null;
        }
        boolean show = this.showValues.isShown(securityContext, this.roles);
        int from = (offset != null && offset > 0) ? offset : 0;
        int max = (limit != null && limit > 0) ? Math.min(limit, 1000) : this.pageSize;
        Map<String, Map<String, Long>> progress = this.queries.stepProgress(id);
        List<InvocationDetails.Step> steps = new ArrayList<>();
        for (CallGroup group : this.store.findGroups(id)) {
            if (step != null && group.getStepIndex() != step) {
                continue;
            }
            Map<String, Long> counts = progress.getOrDefault(group.getId(), Map.of());
            steps.add(new InvocationDetails.Step(
                    group.getStepIndex(),
                    group.getKind().name(),
                    group.getSize(),
                    counts.getOrDefault("SUCCEEDED", 0L),
                    counts.getOrDefault("FAILED", 0L),
                    counts.getOrDefault("CANCELLED", 0L),
                    counts.getOrDefault("PENDING", 0L)
                            + counts.getOrDefault("RUNNING", 0L)
                            + counts.getOrDefault("SUSPENDED", 0L),
                    group.getDecidedAt(),
                    from,
                    summaries(this.queries.children(group.getId(), from, max))));
        }
        return new InvocationDetails(
                InvocationSummary.of(invocation),
                invocation.getErrorStatus(),
                trim(invocation.getErrorStack()),
                invocation.getNextAttemptAt(),
                invocation.getLeaseOwner(),
                invocation.getLeaseExpiresAt(),
                value(invocation.getArguments(), show),
                value(invocation.getResult(), show),
                steps);
    }

    private static InvocationDetails.Value value(@Nullable String json, boolean show) {
        return new InvocationDetails.Value((json != null) ? json.length() : 0, show ? json : null);
    }

    private static @Nullable String trim(@Nullable String stack) {
        if (stack == null) {
            return null;
        }
        String[] lines = stack.split("\n");
        return (lines.length <= STACK_LINES)
                ? stack
                : String.join("\n", List.of(lines).subList(0, STACK_LINES)) + "\n\t... " + (lines.length - STACK_LINES)
                        + " more";
    }

    private static List<InvocationSummary> summaries(List<Invocation> invocations) {
        return invocations.stream().map(InvocationSummary::of).toList();
    }
}
