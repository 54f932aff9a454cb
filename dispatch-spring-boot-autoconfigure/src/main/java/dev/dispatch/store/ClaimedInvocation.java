package dev.dispatch.store;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An invocation this node holds the lease of, ready to run one attempt.
 *
 * @param id its id
 * @param function the function's name
 * @param arguments the recorded arguments (JSON array)
 * @param attempt the number of this attempt, from 1
 * @param maxAttempts attempts allowed
 * @param parentId the caller, if any
 * @param rootId the root of the tree
 * @param groupId the caller's step, if any
 * @param groupKind the kind of that step
 * @param createdAt when it was recorded
 * @param resumed whether this run resumes it after a suspension (not a new attempt)
 * @param traceContext the trace context of its caller, if tracing recorded one
 * @param deadlineAt when its tree must have finished, if it has a deadline
 */
public record ClaimedInvocation(
        String id,
        String function,
        String arguments,
        int attempt,
        int maxAttempts,
        @Nullable String parentId,
        String rootId,
        @Nullable String groupId,
        @Nullable GroupKind groupKind,
        Instant createdAt,
        boolean resumed,
        @Nullable String traceContext,
        @Nullable Instant deadlineAt) {

    /** Whether its deadline has passed at {@code now}. */
    public boolean pastDeadline(Instant now) {
        return this.deadlineAt != null && !now.isBefore(this.deadlineAt);
    }

    /** Whether a caller waits for this invocation's outcome. */
    public boolean awaitedByParent() {
        return this.groupKind != null && this.groupKind.isAwaited();
    }
}
