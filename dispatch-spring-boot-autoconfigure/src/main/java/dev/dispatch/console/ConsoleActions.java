package dev.dispatch.console;

import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.actuate.WaitsAndSchedules;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The console's actions ({@code POST {path}/api/...}), offered only when {@link ConsoleAccess} allows write
 * operations: retry a failed invocation, cancel one with its descendants, and retry or cancel in bulk by filter, first
 * counted ({@code "dryRun": true}) and then, once confirmed, done and reported. Actions take a JSON body, which a
 * cross-site form cannot send, and carry Spring Security's CSRF token when the application has one.
 */
final class ConsoleActions {

    private static final int CHUNK = 500;

    private final Dispatcher dispatcher;

    private final ConsoleQueries queries;

    private final ConsoleAccess access;

    private final int bulkLimit;

    private final @Nullable WaitsAndSchedules schedules;

    ConsoleActions(
            Dispatcher dispatcher,
            ConsoleQueries queries,
            ConsoleAccess access,
            int bulkLimit,
            @Nullable WaitsAndSchedules schedules) {
        this.dispatcher = dispatcher;
        this.schedules = schedules;
        this.queries = queries;
        this.access = access;
        this.bulkLimit = bulkLimit;
    }

    ServerResponse retry(ServerRequest request) {
        return act(request, () -> {
            String id = request.pathVariable("id");
            return Map.of("id", id, "action", "retry", "retried", this.dispatcher.retry(DispatchId.of(id)));
        });
    }

    ServerResponse cancel(ServerRequest request) {
        return act(request, () -> {
            String id = request.pathVariable("id");
            return Map.of("id", id, "action", "cancel", "cancelled", this.dispatcher.cancel(DispatchId.of(id)));
        });
    }

    /** Pauses, resumes or triggers a schedule: {@code POST {path}/api/schedules/{function}/{action}}. */
    ServerResponse schedule(ServerRequest request) {
        String function = request.pathVariable("function");
        AtomicBoolean missing = new AtomicBoolean();
        ServerResponse response = act(request, () -> {
            Map<String, Object> done =
                    (this.schedules != null) ? this.schedules.apply(function, request.pathVariable("action")) : null;
            missing.set(done == null);
            return (done != null) ? done : Map.of();
        });
        return missing.get() ? ConsoleReads.problem(HttpStatus.NOT_FOUND, "No schedule " + function) : response;
    }

    /**
     * Counts ({@code dryRun}) or applies a bulk action. Applying it needs {@code "confirmed": true}; it applies to at
     * most the bulk limit, and answers how many it selected and how many it retried or cancelled.
     */
    ServerResponse bulk(ServerRequest request) {
        return act(request, () -> {
            BulkRequest body = request.body(BulkRequest.class);
            String action = (body.action() != null) ? body.action() : "";
            if (!action.equals(BulkFilter.RETRY) && !action.equals(BulkFilter.CANCEL)) {
                throw new ConsoleReads.BadRequest("action must be 'retry' or 'cancel', not '" + action + "'");
            }
            BulkFilter filter = new BulkFilter(action, blank(body.function()), blank(body.errorType()), since(body));
            long matching = this.queries.countBulk(filter);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("action", action);
            answer.put("matching", matching);
            answer.put("limit", this.bulkLimit);
            if (Boolean.TRUE.equals(body.dryRun())) {
                return answer;
            }
            if (!Boolean.TRUE.equals(body.confirmed())) {
                throw new ConsoleReads.BadRequest("a bulk action must be confirmed (\"confirmed\": true)");
            }
            answer.putAll(apply(filter));
            return answer;
        });
    }

    private Map<String, Object> apply(BulkFilter filter) {
        int selected = 0;
        long applied = 0;
        String after = null;
        while (selected < this.bulkLimit) {
            List<String> ids = this.queries.selectBulk(filter, after, Math.min(CHUNK, this.bulkLimit - selected));
            if (ids.isEmpty()) {
                break;
            }
            for (String id : ids) {
                DispatchId dispatchId = DispatchId.of(id);
                applied += filter.retry()
                        ? (this.dispatcher.retry(dispatchId) ? 1 : 0)
                        : this.dispatcher.cancel(dispatchId);
            }
            selected += ids.size();
            after = ids.get(ids.size() - 1);
        }
        return Map.of("selected", selected, filter.retry() ? "retried" : "cancelled", applied);
    }

    private ServerResponse act(ServerRequest request, Action action) {
        if (!this.access.writeOperations()) {
            return ConsoleReads.problem(
                    HttpStatus.FORBIDDEN,
                    "Write operations are disabled (management.endpoint.dispatch.access=unrestricted enables them)");
        }
        MediaType type = request.headers().contentType().orElse(null);
        if (type == null || !MediaType.APPLICATION_JSON.isCompatibleWith(type)) {
            return ConsoleReads.problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Actions take a JSON body");
        }
        try {
            return ConsoleReads.json(action.run());
        } catch (ConsoleReads.BadRequest | IllegalArgumentException ex) {
            // a blank id (DispatchId refuses it) is the caller's mistake, not the server's
            return ConsoleReads.problem(HttpStatus.BAD_REQUEST, String.valueOf(ex.getMessage()));
        } catch (Exception ex) {
            throw (ex instanceof RuntimeException runtime) ? runtime : new IllegalStateException(ex);
        }
    }

    private static @Nullable Instant since(BulkRequest body) {
        String since = blank(body.since());
        try {
            return (since != null) ? Instant.parse(since) : null;
        } catch (RuntimeException ex) {
            throw new ConsoleReads.BadRequest("since must be an ISO-8601 instant, not " + since);
        }
    }

    private static @Nullable String blank(@Nullable String value) {
        return (value == null || value.isBlank()) ? null : value.trim();
    }

    @FunctionalInterface
    private interface Action {
        Object run() throws Exception;
    }

    /**
     * A bulk action as the page sends it.
     *
     * @param action {@code retry} or {@code cancel}
     * @param function only invocations of this function
     * @param errorType only failures of this error type (retry)
     * @param since only invocations that finished (retry) or were created (cancel) since this ISO-8601 instant
     * @param dryRun only count them
     * @param confirmed the operator confirmed the count
     */
    record BulkRequest(
            @Nullable String action,
            @Nullable String function,
            @Nullable String errorType,
            @Nullable String since,
            @Nullable Boolean dryRun,
            @Nullable Boolean confirmed) {}
}
