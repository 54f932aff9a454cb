package dev.dispatch.actuate;

import dev.dispatch.DispatchId;
import dev.dispatch.InvocationStatus;
import dev.dispatch.aop.FunctionRegistry;
import dev.dispatch.engine.ConcurrencyLimits;
import dev.dispatch.engine.Engine;
import dev.dispatch.engine.Scheduler;
import dev.dispatch.store.CallGroup;
import dev.dispatch.store.Invocation;
import dev.dispatch.store.InvocationQueries;
import dev.dispatch.store.InvocationStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * The {@code dispatch} actuator endpoint: the engine's console. Read-only by default, through Spring Boot's endpoint
 * access: {@code management.endpoint.dispatch.access=unrestricted} opens its write operation, {@code POST
 * /actuator/dispatch/{id}} with {@code {"action": "retry"}} (a FAILED invocation) or {@code {"action": "cancel"}} (with
 * its descendants). {@code GET /actuator/dispatch/schedules} and {@code GET /actuator/dispatch/signals} show the
 * schedules, the waits in progress and the signals not taken; {@code POST /actuator/dispatch/schedules/{function}} with
 * {@code {"action": "pause"}}, {@code "resume"} or {@code "trigger"} acts on a schedule.
 */
@Endpoint(id = "dispatch", defaultAccess = Access.READ_ONLY)
public class DispatchEndpoint {

    private static final int STACK_LINES = 25;

    private static final String SCHEDULES = "schedules";

    private static final String SIGNALS = "signals";

    /** How long the summary's counts are reused: a dashboard polled by many clients reads them once per period. */
    static final Duration COUNTS_TTL = Duration.ofSeconds(2);

    private final ShortCache<Map<String, Long>> byStatus;

    private final ShortCache<Map<String, Map<String, Long>>> byFunction;

    private final Engine engine;

    private final InvocationQueries queries;

    private final InvocationStore store;

    private final Scheduler scheduler;

    private final FunctionRegistry registry;

    private final String node;

    private final Show showValues;

    private final Set<String> roles;

    private final int pageSize;

    private final FlowControl flowControl;

    private final WaitsAndSchedules views;

    public DispatchEndpoint(
            Engine engine,
            InvocationQueries queries,
            InvocationStore store,
            Scheduler scheduler,
            FunctionRegistry registry,
            String node,
            Show showValues,
            Set<String> roles,
            int pageSize,
            ConcurrencyLimits limits,
            WaitsAndSchedules views) {
        this.engine = engine;
        this.queries = queries;
        this.store = store;
        this.scheduler = scheduler;
        this.registry = registry;
        this.node = node;
        this.showValues = showValues;
        this.roles = roles;
        this.pageSize = pageSize;
        this.flowControl = new FlowControl(limits, queries);
        this.views = views;
        this.byStatus = new ShortCache<>(COUNTS_TTL, queries::countByStatus);
        this.byFunction = new ShortCache<>(COUNTS_TTL, queries::countByFunction);
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
            @Nullable String status,
            @Nullable String function,
            @Nullable String root,
            @Nullable Integer limit,
            SecurityContext securityContext) {
        String wanted = status(status);
        boolean show = this.showValues.isShown(securityContext, this.roles);
        Instant now = Instant.now();
        Long oldestAge = this.queries
                .oldestDue(now)
                .map(due -> Duration.between(due, now).toMillis())
                .orElse(null);
        int max = (limit != null && limit > 0) ? Math.min(limit, 1000) : this.pageSize;
        Map<String, Map<String, Long>> byFunction = this.byFunction.get();
        FlowControl.Limits limits = this.flowControl.read(byFunction, now);
        return new DispatchSummary(
                this.node,
                this.byStatus.get(),
                byFunction,
                new DispatchSummary.Workers(this.scheduler.busyWorkers(), this.scheduler.workers()),
                this.scheduler.queueDepth(),
                oldestAge,
                this.queries.countUnrunnable(this.registry.names()),
                new TreeSet<>(this.registry.names()),
                summaries(this.queries.recentFailures(10), show),
                summaries(this.queries.list(wanted, function, root, max), show),
                limits.concurrency(),
                limits.rateLimits(),
                limits.concurrencyKeys());
    }

    /**
     * One invocation with its steps, as {@link #details} reads it; or, for {@code schedules} and {@code signals} (never
     * an invocation's id), the schedules, or the waits in progress and the signals not taken.
     *
     * @param id the invocation, {@code schedules} or {@code signals}
     * @param step show only this step
     * @param fromStep show steps from this index on (default: the first), a page of them
     * @param offset position of the first child shown in each step
     * @param limit children shown per step (default: the page size)
     */
    @ReadOperation
    public @Nullable Object invocation(
            @Selector String id,
            @Nullable Integer step,
            @Nullable Integer fromStep,
            @Nullable Integer offset,
            @Nullable Integer limit,
            SecurityContext securityContext) {
        if (SCHEDULES.equals(id)) {
            return this.views.schedules();
        }
        if (SIGNALS.equals(id)) {
            return this.views.signals();
        }
        InvocationDetails details = details(id, step, fromStep, offset, limit, securityContext);
        // not found with the same body as the write operations' (an empty 404 reads like a missing endpoint)
        return (details != null)
                ? details
                : new WebEndpointResponse<>(Map.of("id", id, "error", "No invocation " + id), 404);
    }

    /**
     * One invocation with one page of its steps, each with one page of its children.
     *
     * @param id the invocation
     * @param step show only this step
     * @param fromStep show steps from this index on (default: the first), a page of them
     * @param offset position of the first child shown in each step
     * @param limit children shown per step (default: the page size)
     */
    public @Nullable InvocationDetails details(
            String id,
            @Nullable Integer step,
            @Nullable Integer fromStep,
            @Nullable Integer offset,
            @Nullable Integer limit,
            SecurityContext securityContext) {
        requireId(id);
        Invocation invocation = this.store.find(id).orElse(null);
        if (invocation == null) {
            return null;
        }
        boolean show = this.showValues.isShown(securityContext, this.roles);
        int from = (offset != null && offset > 0) ? offset : 0;
        int max = (limit != null && limit > 0) ? Math.min(limit, 1000) : this.pageSize;
        // One page of steps and one query for their progress: a chain of 50,000 steps is read a page at a time.
        int first = (step != null) ? step : (fromStep != null && fromStep > 0 ? fromStep : 0);
        List<CallGroup> groups = this.queries.groups(id, first, (step != null) ? 1 : this.pageSize + 1);
        if (step != null) {
            groups = groups.stream().filter(g -> g.getStepIndex() == step).toList();
        }
        Integer nextStep = null;
        if (groups.size() > this.pageSize) {
            nextStep = groups.get(this.pageSize).getStepIndex();
            groups = groups.subList(0, this.pageSize);
        }
        Map<String, Map<String, Long>> progress = this.queries.stepProgress(
                id, groups.stream().map(CallGroup::getId).toList());
        List<InvocationDetails.Step> steps = new ArrayList<>();
        for (CallGroup group : groups) {
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
                    summaries(this.queries.children(group.getId(), from, max), show)));
        }
        return new InvocationDetails(
                InvocationSummary.of(invocation, show),
                invocation.getErrorStatus(),
                InvocationSummary.masked(trim(invocation.getErrorStack()), show),
                invocation.getNextAttemptAt(),
                invocation.getLeaseOwner(),
                invocation.getLeaseExpiresAt(),
                value(invocation.getArguments(), show),
                value(invocation.getResult(), show),
                steps,
                nextStep);
    }

    /**
     * Retries or cancels an invocation: a write operation, offered only when the endpoint's access is unrestricted.
     *
     * @param id the invocation
     * @param action {@code retry} (a FAILED invocation) or {@code cancel} (with its descendants)
     */
    @WriteOperation
    public WebEndpointResponse<Map<String, Object>> act(@Selector String id, String action) {
        requireId(id);
        if (!"retry".equals(action) && !"cancel".equals(action)) {
            throw new InvalidEndpointRequestException(
                    "Unknown action '" + action + "': use 'retry' or 'cancel'", "Unknown action");
        }
        if (this.store.find(id).isEmpty()) {
            return new WebEndpointResponse<>(Map.of("id", id, "error", "No invocation " + id), 404);
        }
        DispatchId dispatchId = DispatchId.of(id);
        return new WebEndpointResponse<>(
                "retry".equals(action)
                        ? Map.of("id", id, "action", action, "retried", this.engine.retry(dispatchId))
                        : Map.of("id", id, "action", action, "cancelled", this.engine.cancel(dispatchId)));
    }

    /**
     * Pauses, resumes or triggers a schedule: a write operation, offered only when the endpoint's access is
     * unrestricted.
     *
     * @param schedules {@code schedules}
     * @param function the scheduled function
     * @param action {@code pause}, {@code resume} or {@code trigger} (a run now)
     */
    @WriteOperation
    public WebEndpointResponse<Map<String, Object>> actOnSchedule(
            @Selector String schedules, @Selector String function, String action) {
        if (!SCHEDULES.equals(schedules)) {
            throw new InvalidEndpointRequestException(
                    "Unknown path '" + schedules + "/" + function + "': use schedules/{function}", "Unknown path");
        }
        return this.views.act(function, action);
    }

    /**
     * The status filter as stored ({@code failed} reads as {@code FAILED}); a status that does not exist is the
     * caller's mistake (400), not a filter that matches nothing.
     */
    private static @Nullable String status(@Nullable String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        for (InvocationStatus known : InvocationStatus.values()) {
            if (known.name().equalsIgnoreCase(status.strip())) {
                return known.name();
            }
        }
        throw new InvalidEndpointRequestException(
                "Unknown status '" + status + "': use one of " + Arrays.toString(InvocationStatus.values()),
                "Unknown status");
    }

    /** A blank or malformed id is the caller's mistake (400), not the server's. */
    private static void requireId(String id) {
        if (id.isBlank() || id.length() > 36 || !id.chars().allMatch(c -> c == '-' || Character.isLetterOrDigit(c))) {
            throw new InvalidEndpointRequestException(
                    "Invalid invocation id '" + id + "': expected the id of an invocation", "Invalid id");
        }
    }

    private static InvocationDetails.Value value(@Nullable String json, boolean show) {
        return new InvocationDetails.Value((json != null) ? json.length() : 0, show ? json : null);
    }

    private static @Nullable String trim(@Nullable String stack) {
        if (stack == null) {
            return null;
        }
        String[] lines = stack.split("\n");
        String trimmed = (lines.length <= STACK_LINES)
                ? stack
                : String.join("\n", List.of(lines).subList(0, STACK_LINES)) + "\n\t... " + (lines.length - STACK_LINES)
                        + " more";
        return Bounded.text(trimmed, Bounded.STACK_CHARS);
    }

    private static List<InvocationSummary> summaries(List<Invocation> invocations, boolean show) {
        return invocations.stream()
                .map(invocation -> InvocationSummary.of(invocation, show))
                .toList();
    }
}
