package dev.dispatch.store;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A call about to be recorded.
 *
 * @param id its id
 * @param function the function's name
 * @param arguments the arguments as a JSON array
 * @param maxAttempts attempts allowed, the first included
 * @param nextAttemptAt when it may first run
 * @param leaseOwner the node that runs it at once (inline), or {@code null} to leave it to the scheduler
 * @param leaseExpiresAt the lease of an inline run
 * @param parentId the caller, if any
 * @param rootId the root of the tree
 * @param stepIndex the caller's step that made the call
 * @param groupId the step's group
 * @param groupPosition position in the group
 * @param idempotencyKey a user key that makes the dispatch happen once
 * @param traceContext the caller's trace context, propagated to the call's attempts
 * @param deadlineAt when the call's tree must have finished, if it has a deadline
 * @param priority higher runs first among due calls
 * @param turn where the call comes in its caller's work ({@link ClaimOrder#turn}): among due calls of equal priority,
 *     lower turns run first, so the calls of different trees take turns
 * @param concurrencyKey the value of its function's concurrency key, or {@code null} for none: at most the function's
 *     limit per key run at once with the same value
 */
public record NewInvocation(
        String id,
        String function,
        String arguments,
        int maxAttempts,
        Instant nextAttemptAt,
        @Nullable String leaseOwner,
        @Nullable Instant leaseExpiresAt,
        @Nullable String parentId,
        String rootId,
        @Nullable Integer stepIndex,
        @Nullable String groupId,
        @Nullable Integer groupPosition,
        @Nullable String idempotencyKey,
        @Nullable String traceContext,
        @Nullable Instant deadlineAt,
        int priority,
        int turn,
        @Nullable String concurrencyKey) {

    /** A call without a concurrency key. */
    public NewInvocation(
            String id,
            String function,
            String arguments,
            int maxAttempts,
            Instant nextAttemptAt,
            @Nullable String leaseOwner,
            @Nullable Instant leaseExpiresAt,
            @Nullable String parentId,
            String rootId,
            @Nullable Integer stepIndex,
            @Nullable String groupId,
            @Nullable Integer groupPosition,
            @Nullable String idempotencyKey,
            @Nullable String traceContext,
            @Nullable Instant deadlineAt,
            int priority,
            int turn) {
        this(
                id,
                function,
                arguments,
                maxAttempts,
                nextAttemptAt,
                leaseOwner,
                leaseExpiresAt,
                parentId,
                rootId,
                stepIndex,
                groupId,
                groupPosition,
                idempotencyKey,
                traceContext,
                deadlineAt,
                priority,
                turn,
                null);
    }

    /** A call of priority 0 that comes first in its caller's work. */
    public NewInvocation(
            String id,
            String function,
            String arguments,
            int maxAttempts,
            Instant nextAttemptAt,
            @Nullable String leaseOwner,
            @Nullable Instant leaseExpiresAt,
            @Nullable String parentId,
            String rootId,
            @Nullable Integer stepIndex,
            @Nullable String groupId,
            @Nullable Integer groupPosition,
            @Nullable String idempotencyKey,
            @Nullable String traceContext,
            @Nullable Instant deadlineAt) {
        this(
                id,
                function,
                arguments,
                maxAttempts,
                nextAttemptAt,
                leaseOwner,
                leaseExpiresAt,
                parentId,
                rootId,
                stepIndex,
                groupId,
                groupPosition,
                idempotencyKey,
                traceContext,
                deadlineAt,
                0,
                ClaimOrder.turn(stepIndex, groupPosition));
    }

    /** The same call under another id (the one recorded earlier with its idempotency key). */
    public NewInvocation withId(String otherId) {
        return new NewInvocation(
                otherId,
                this.function,
                this.arguments,
                this.maxAttempts,
                this.nextAttemptAt,
                this.leaseOwner,
                this.leaseExpiresAt,
                this.parentId,
                this.rootId,
                this.stepIndex,
                this.groupId,
                this.groupPosition,
                this.idempotencyKey,
                this.traceContext,
                this.deadlineAt,
                this.priority,
                this.turn,
                this.concurrencyKey);
    }

    /** The same call with another priority. */
    public NewInvocation withPriority(int newPriority) {
        return new NewInvocation(
                this.id,
                this.function,
                this.arguments,
                this.maxAttempts,
                this.nextAttemptAt,
                this.leaseOwner,
                this.leaseExpiresAt,
                this.parentId,
                this.rootId,
                this.stepIndex,
                this.groupId,
                this.groupPosition,
                this.idempotencyKey,
                this.traceContext,
                this.deadlineAt,
                newPriority,
                this.turn,
                this.concurrencyKey);
    }

    /** Whether the recording node runs it at once, holding its lease from the start. */
    public boolean inline() {
        return this.leaseOwner != null;
    }
}
