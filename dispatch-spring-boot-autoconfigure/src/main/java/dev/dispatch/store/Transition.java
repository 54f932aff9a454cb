package dev.dispatch.store;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The end of one attempt, to be written in one short transaction.
 *
 * @param invocation the invocation, as claimed
 * @param owner the node that held the lease
 * @param kind what the attempt came to
 * @param result the result (JSON) of a success
 * @param error the error of a failure or retry
 * @param nextAttemptAt when a retry may run
 */
public record Transition(
        ClaimedInvocation invocation,
        String owner,
        Kind kind,
        @Nullable String result,
        @Nullable ErrorRecord error,
        @Nullable Instant nextAttemptAt) {

    /** What an attempt came to. */
    public enum Kind {
        SUCCEEDED,
        FAILED,
        RETRY
    }

    /** Whether the invocation is finished by this transition. */
    public boolean terminal() {
        return this.kind != Kind.RETRY;
    }
}
