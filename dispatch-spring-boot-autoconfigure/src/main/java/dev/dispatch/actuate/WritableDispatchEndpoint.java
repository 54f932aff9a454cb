package dev.dispatch.actuate;

import dev.dispatch.DispatchId;
import dev.dispatch.aop.FunctionRegistry;
import dev.dispatch.engine.ConcurrencyLimits;
import dev.dispatch.engine.Engine;
import dev.dispatch.engine.Scheduler;
import dev.dispatch.store.InvocationQueries;
import dev.dispatch.store.InvocationStore;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code dispatch} endpoint with its write operations ({@code dispatch.actuator.write-operations=true}):
 * {@code POST /actuator/dispatch/{id}} with {@code {"action": "retry"}} retries a FAILED invocation,
 * {@code {"action": "cancel"}} cancels an invocation with its descendants.
 */
@Endpoint(id = "dispatch")
public class WritableDispatchEndpoint extends DispatchEndpoint {

    private final Engine engine;

    public WritableDispatchEndpoint(
            Engine engine,
            InvocationQueries queries,
            InvocationStore store,
            Scheduler scheduler,
            FunctionRegistry registry,
            String node,
            Show showValues,
            Set<String> roles,
            int pageSize,
            ConcurrencyLimits limits) {
        super(queries, store, scheduler, registry, node, showValues, roles, pageSize, limits);
        this.engine = engine;
    }

    /**
     * Retries or cancels an invocation.
     *
     * @param id the invocation
     * @param action {@code retry} (a FAILED invocation) or {@code cancel} (with its descendants)
     */
    @WriteOperation
    public Map<String, Object> act(@Selector String id, String action) {
        DispatchId dispatchId = DispatchId.of(id);
        return switch (action) {
            case "retry" -> Map.of("id", id, "action", action, "retried", this.engine.retryFailed(dispatchId));
            case "cancel" -> Map.of("id", id, "action", action, "cancelled", this.engine.cancel(dispatchId));
            default ->
                throw new InvalidEndpointRequestException(
                        "Unknown action '" + action + "': use 'retry' or 'cancel'", "Unknown action");
        };
    }
}
