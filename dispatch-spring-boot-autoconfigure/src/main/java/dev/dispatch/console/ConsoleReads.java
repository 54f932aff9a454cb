package dev.dispatch.console;

import dev.dispatch.actuate.FlowControl;
import dev.dispatch.aop.FunctionRegistry;
import dev.dispatch.engine.Scheduler;
import dev.dispatch.store.InvocationQueries;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The console's read requests ({@code GET {path}/api/...}): the overview, a page of runs, one invocation, a page of a
 * step's calls, the failures grouped. Answers are JSON and bounded whatever the store holds.
 */
final class ConsoleReads {

    private static final Duration OVERVIEW_TTL = Duration.ofSeconds(2);

    private static final int FAILURE_GROUPS = 100;

    private final InvocationQueries queries;

    private final ConsoleQueries console;

    private final InvocationPages invocations;

    private final Scheduler scheduler;

    private final FunctionRegistry registry;

    private final ConsoleAccess access;

    private final ConsoleSettings settings;

    private final @Nullable FlowControl flowControl;

    private volatile @Nullable Overview overview;

    private volatile long overviewAt;

    ConsoleReads(
            InvocationQueries queries,
            ConsoleQueries console,
            InvocationPages invocations,
            Scheduler scheduler,
            FunctionRegistry registry,
            ConsoleAccess access,
            ConsoleSettings settings,
            @Nullable FlowControl flowControl) {
        this.queries = queries;
        this.console = console;
        this.invocations = invocations;
        this.scheduler = scheduler;
        this.registry = registry;
        this.access = access;
        this.settings = settings;
        this.flowControl = flowControl;
    }

    /**
     * Each function's flow control as the actuator shows it: concurrency limits, rate limits with their tokens, and
     * concurrency keys with the calls running and waiting per value (empty without an engine on this node).
     */
    ServerResponse limits(ServerRequest request) {
        if (this.flowControl == null) {
            return json(new FlowControl.Limits(Map.of(), Map.of(), Map.of()));
        }
        return json(this.flowControl.read(this.queries.countByFunction(), Instant.now()));
    }

    /** Counts, workers, backlog and the last hour per minute; counted at most every two seconds, however many look. */
    ServerResponse overview(ServerRequest request) {
        Overview current = this.overview;
        if (current == null || System.nanoTime() - this.overviewAt > OVERVIEW_TTL.toNanos()) {
            current = countOverview();
            this.overview = current;
            this.overviewAt = System.nanoTime();
        }
        return json(current);
    }

    private Overview countOverview() {
        Instant now = Instant.now();
        Map<String, Map<String, Long>> byFunction = this.queries.countByFunction();
        Set<String> functions = new TreeSet<>(this.registry.names());
        functions.addAll(byFunction.keySet());
        return new Overview(
                this.scheduler.nodeId(),
                this.queries.countByStatus(),
                byFunction,
                this.scheduler.busyWorkers(),
                this.scheduler.workers(),
                this.scheduler.queueDepth(),
                this.queries
                        .oldestDue(now)
                        .map(due -> Duration.between(due, now).toMillis())
                        .orElse(null),
                functions,
                this.console.perMinute(now));
    }

    /** A page of runs, newest first; {@code next} is where the following page starts, null on the last. */
    ServerResponse runs(ServerRequest request) {
        boolean showValues = this.access.showsValues(request.servletRequest());
        RunFilter filter = new RunFilter(
                param(request, "status"),
                param(request, "function"),
                instant(request, "from"),
                instant(request, "to"),
                param(request, "error"),
                param(request, "id"),
                RunFilter.Position.parse(param(request, "before")),
                showValues);
        int limit = limit(request, this.settings.pageSize());
        List<RunRow> runs = this.console.runs(filter, limit + 1);
        if (!showValues) {
            runs = runs.stream().map(RunRow::masked).toList();
        }
        String next = null;
        if (runs.size() > limit) {
            runs = runs.subList(0, limit);
            RunRow last = runs.get(limit - 1);
            next = new RunFilter.Position(last.createdAt(), last.id()).toString();
        }
        return json(new RunPage(runs, next));
    }

    /** One invocation with its steps, values masked unless this caller may see them. */
    ServerResponse invocation(ServerRequest request) {
        boolean show = this.access.showsValues(request.servletRequest());
        return this.invocations
                .find(request.pathVariable("id"), show)
                .map(ConsoleReads::json)
                .orElseGet(() -> problem(HttpStatus.NOT_FOUND, "There is no invocation " + request.pathVariable("id")));
    }

    /** A page of one step's calls from a position on, optionally only those in one status. */
    ServerResponse calls(ServerRequest request) {
        int from = Math.max(0, integer(request, "from", 0));
        int limit = limit(request, this.settings.pageSize());
        String status = param(request, "status");
        List<CallRow> calls = this.console.calls(request.pathVariable("group"), from, status, limit + 1);
        if (!this.access.showsValues(request.servletRequest())) {
            calls = calls.stream().map(CallRow::masked).toList();
        }
        Integer next = null;
        if (calls.size() > limit) {
            calls = calls.subList(0, limit);
            next = calls.get(limit - 1).position() + 1;
        }
        return json(new CallPage(calls, next));
    }

    /** Failed calls grouped by function and error type, optionally only those that failed since a time. */
    ServerResponse failures(ServerRequest request) {
        List<FailureGroup> groups = this.console.failures(instant(request, "since"), FAILURE_GROUPS);
        return json(
                this.access.showsValues(request.servletRequest())
                        ? groups
                        : groups.stream().map(FailureGroup::masked).toList());
    }

    /**
     * A page of runs.
     *
     * @param runs the runs, newest first
     * @param next where the next page starts ({@code before}), or null on the last page
     */
    record RunPage(List<RunRow> runs, @Nullable String next) {}

    /**
     * A page of a step's calls.
     *
     * @param calls the calls in position order
     * @param next the position the next page starts from, or null on the last page
     */
    record CallPage(List<CallRow> calls, @Nullable Integer next) {}

    static ServerResponse json(Object body) {
        return ServerResponse.ok().headers(ConsolePage::secure).body(body);
    }

    static ServerResponse problem(HttpStatus status, String detail) {
        return ServerResponse.status(status)
                .headers(ConsolePage::secure)
                .body(Map.of("status", status.value(), "detail", detail));
    }

    static @Nullable String param(ServerRequest request, String name) {
        return request.param(name)
                .map(String::trim)
                .filter(value -> !value.isEmpty())
                .orElse(null);
    }

    static @Nullable Instant instant(ServerRequest request, String name) {
        String value = param(request, name);
        try {
            return (value != null) ? Instant.parse(value) : null;
        } catch (DateTimeParseException ex) {
            throw new BadRequest(name + " must be an ISO-8601 instant such as 2024-05-01T10:00:00Z, not " + value);
        }
    }

    private int limit(ServerRequest request, int fallback) {
        return Math.min(Math.max(1, integer(request, "limit", fallback)), 500);
    }

    private static int integer(ServerRequest request, String name, int fallback) {
        String value = param(request, name);
        try {
            return (value != null) ? Integer.parseInt(value) : fallback;
        } catch (NumberFormatException ex) {
            throw new BadRequest(name + " must be a number, not " + value);
        }
    }

    /** A request the console cannot answer as asked; answered 400 with the reason. */
    static final class BadRequest extends RuntimeException {

        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }
}
