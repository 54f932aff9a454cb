package dev.dispatch.console;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Failed calls of one function with one error type.
 *
 * @param function the function
 * @param errorType the error's class name
 * @param count how many failed
 * @param latestAt when the latest of them failed
 * @param latestId the latest of them
 * @param latestMessage its error message, cut to {@link ConsoleQueries#MESSAGE_LENGTH} characters
 */
record FailureGroup(
        String function,
        @Nullable String errorType,
        long count,
        Instant latestAt,
        String latestId,
        @Nullable String latestMessage) {

    /** The group with its latest message masked, for a caller who may not see values. */
    FailureGroup masked() {
        return new FailureGroup(
                this.function,
                this.errorType,
                this.count,
                this.latestAt,
                this.latestId,
                InvocationPages.masked(this.latestMessage, false));
    }
}
