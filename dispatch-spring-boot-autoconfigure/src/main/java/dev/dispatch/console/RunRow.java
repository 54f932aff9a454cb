package dev.dispatch.console;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One run (a root invocation) in the runs list.
 *
 * @param id its id
 * @param function its function
 * @param status its status
 * @param attempts attempts started
 * @param createdAt when it was recorded
 * @param completedAt when it finished
 * @param errorType class name of its last error
 * @param errorMessage message of its last error, cut to {@link ConsoleQueries#MESSAGE_LENGTH} characters
 * @param calls progress of the calls under it (its whole tree but itself)
 */
record RunRow(
        String id,
        String function,
        String status,
        int attempts,
        Instant createdAt,
        @Nullable Instant completedAt,
        @Nullable String errorType,
        @Nullable String errorMessage,
        Progress calls) {

    /** The row with its error message masked, for a caller who may not see values. */
    RunRow masked() {
        return new RunRow(
                this.id,
                this.function,
                this.status,
                this.attempts,
                this.createdAt,
                this.completedAt,
                this.errorType,
                InvocationPages.masked(this.errorMessage, false),
                this.calls);
    }

    RunRow withCalls(Progress calls) {
        return new RunRow(
                this.id,
                this.function,
                this.status,
                this.attempts,
                this.createdAt,
                this.completedAt,
                this.errorType,
                this.errorMessage,
                calls);
    }
}
