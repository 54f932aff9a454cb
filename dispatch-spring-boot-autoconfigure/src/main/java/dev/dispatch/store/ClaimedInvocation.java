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
 * @param resumed whether earlier runs may have recorded steps: this run resumes it after a suspension, or follows an
 *     operator's retry of it (either way its journal is loaded, which a first attempt skips)
 * @param traceContext the trace context of its caller, if tracing recorded one
 * @param deadlineAt when its tree must have finished, if it has a deadline
 * @param epoch the fencing token of this hold: the row's version when it was claimed. Every write the holder makes
 *     (its end, a step, a sleep, a lease renewal, a hand-back) checks it, so a write of a stale hold (a cancelled
 *     attempt, one whose lease expired and was claimed again, by this node or another) changes nothing
 * @param priority higher runs first among due calls
 * @param turn where it comes in its caller's work ({@link ClaimOrder#turn})
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
        @Nullable Instant deadlineAt,
        long epoch,
        int priority,
        int turn) {

    /** The same hold after a write that bumped the row's version (a takeover). */
    public ClaimedInvocation withEpoch(long newEpoch) {
        return new ClaimedInvocation(
                this.id,
                this.function,
                this.arguments,
                this.attempt,
                this.maxAttempts,
                this.parentId,
                this.rootId,
                this.groupId,
                this.groupKind,
                this.createdAt,
                this.resumed,
                this.traceContext,
                this.deadlineAt,
                newEpoch,
                this.priority,
                this.turn);
    }

    /** Whether its deadline has passed at {@code now}. */
    public boolean pastDeadline(Instant now) {
        return this.deadlineAt != null && !now.isBefore(this.deadlineAt);
    }

    /** Whether a caller waits for this invocation's outcome. */
    public boolean awaitedByParent() {
        return this.groupKind != null && this.groupKind.isAwaited();
    }
}
