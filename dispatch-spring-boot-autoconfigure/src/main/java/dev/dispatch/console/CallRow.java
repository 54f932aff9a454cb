package dev.dispatch.console;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One call of a step, in a page of the step's calls.
 *
 * @param id its id
 * @param function its function
 * @param status its status
 * @param attempts attempts started
 * @param position its position in the step
 * @param createdAt when it was recorded
 * @param completedAt when it finished
 * @param errorType class name of its last error
 * @param errorMessage message of its last error, cut to {@link ConsoleQueries#MESSAGE_LENGTH} characters
 * @param parent whether it made calls of its own (its steps can be opened)
 */
record CallRow(
        String id,
        String function,
        String status,
        int attempts,
        int position,
        Instant createdAt,
        @Nullable Instant completedAt,
        @Nullable String errorType,
        @Nullable String errorMessage,
        boolean parent) {

    /** The row with its error message masked, for a caller who may not see values. */
    CallRow masked() {
        return new CallRow(
                this.id,
                this.function,
                this.status,
                this.attempts,
                this.position,
                this.createdAt,
                this.completedAt,
                this.errorType,
                InvocationPages.masked(this.errorMessage, false),
                this.parent);
    }
}
