package dev.dispatch.engine;

import dev.dispatch.DispatchOptions;
import dev.dispatch.aop.ConcurrencyKey;
import dev.dispatch.store.ClaimOrder;
import dev.dispatch.store.NewInvocation;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** The row of a call about to be recorded: a root of its own tree, or a call one of a caller's steps makes. */
final class CallRows {

    private CallRows() {}

    /**
     * A root call.
     *
     * @param inlineOwner the node that runs it at once on the caller's thread, or {@code null} for the scheduler
     * @param leaseUntil the lease of that inline run
     */
    static NewInvocation root(
            String id,
            Captured call,
            Instant firstRun,
            @Nullable String inlineOwner,
            @Nullable Instant leaseUntil,
            @Nullable String idempotencyKey,
            @Nullable String trace,
            @Nullable Instant deadline) {
        return new NewInvocation(
                id,
                call.function().name(),
                call.json(),
                call.function().maxAttempts(),
                firstRun,
                inlineOwner,
                leaseUntil,
                null,
                id,
                null,
                null,
                null,
                idempotencyKey,
                trace,
                deadline,
                call.function().priority(),
                0,
                concurrencyKey(call));
    }

    /**
     * The call at {@code position} of the caller's step; in the caller's tree, under the caller.
     *
     * @param inlineLeaseUntil the lease of a call the caller's node runs at once on the caller's thread, or
     *     {@code null} for the scheduler
     */
    static NewInvocation child(
            Execution caller,
            int step,
            String groupId,
            int position,
            Captured call,
            Instant firstRun,
            @Nullable Instant inlineLeaseUntil,
            @Nullable String idempotencyKey,
            @Nullable String trace,
            @Nullable Instant deadline) {
        return new NewInvocation(
                StepKeys.childId(caller.id(), step, position),
                call.function().name(),
                call.json(),
                call.function().maxAttempts(),
                firstRun,
                inlineLeaseUntil != null ? caller.owner() : null,
                inlineLeaseUntil,
                caller.id(),
                caller.invocation().rootId(),
                step,
                groupId,
                position,
                idempotencyKey,
                trace,
                deadline,
                call.function().priority(),
                ClaimOrder.turn(step, position),
                concurrencyKey(call));
    }

    /**
     * The call's concurrency key, evaluated over its arguments now, when it is recorded: claims on every node count the
     * recorded value.
     */
    private static @Nullable String concurrencyKey(Captured call) {
        ConcurrencyKey key = call.function().concurrencyKey();
        if (key == null) {
            return null;
        }
        try {
            return key.valueFor(call.function().method(), call.arguments());
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(call.function().describe() + ": " + ex.getMessage(), ex);
        }
    }

    /** The row with the priority {@code options} set for this dispatch, if they set one. */
    static NewInvocation prioritized(NewInvocation row, DispatchOptions options) {
        Integer priority = options.priority();
        return (priority != null) ? row.withPriority(priority) : row;
    }
}
