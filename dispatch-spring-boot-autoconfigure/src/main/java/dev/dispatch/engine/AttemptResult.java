package dev.dispatch.engine;

import dev.dispatch.Status;
import dev.dispatch.store.ErrorRecord;
import org.jspecify.annotations.Nullable;

/**
 * What one attempt came to, in memory, for a caller on this node that waits for it.
 *
 * @param kind what happened
 * @param value the result of a success
 * @param failure the exception of a failure, when it happened here
 * @param status the classification
 * @param error the error as recorded
 */
record AttemptResult(
        Kind kind,
        @Nullable Object value,
        @Nullable Throwable failure,
        Status status,
        @Nullable ErrorRecord error) {

    enum Kind {
        /** Finished with a result. */
        SUCCEEDED,
        /** Finished with an error. */
        FAILED,
        /** Failed; another attempt is scheduled. */
        RETRY,
        /** Waiting for its calls. */
        SUSPENDED,
        /** This node lost the lease; another node carries on. */
        ABANDONED
    }

    static AttemptResult succeeded(@Nullable Object value) {
        return new AttemptResult(Kind.SUCCEEDED, value, null, Status.OK, null);
    }

    static AttemptResult suspended() {
        return new AttemptResult(Kind.SUSPENDED, null, null, Status.OK, null);
    }

    static AttemptResult abandoned() {
        return new AttemptResult(Kind.ABANDONED, null, null, Status.OK, null);
    }

    AttemptOutcome outcome() {
        return switch (this.kind) {
            case SUCCEEDED -> AttemptOutcome.SUCCESS;
            case FAILED -> AttemptOutcome.FAILURE;
            case RETRY -> AttemptOutcome.RETRY;
            case SUSPENDED -> AttemptOutcome.SUSPENDED;
            case ABANDONED -> AttemptOutcome.ABANDONED;
        };
    }

    boolean terminal() {
        return this.kind == Kind.SUCCEEDED || this.kind == Kind.FAILED;
    }
}
