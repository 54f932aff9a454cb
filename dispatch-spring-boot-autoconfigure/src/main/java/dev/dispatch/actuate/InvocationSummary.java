package dev.dispatch.actuate;

import dev.dispatch.store.Invocation;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One invocation in a list.
 *
 * @param id its id
 * @param function its function
 * @param status its status
 * @param attempts attempts started
 * @param parentId its caller
 * @param rootId the root of its tree
 * @param errorType class name of its last error
 * @param errorMessage message of its last error, cut to 1,000 characters
 * @param createdAt when it was recorded
 * @param updatedAt when it last changed
 * @param completedAt when it finished
 * @param deadlineAt when its tree must have finished, if it has a deadline
 */
public record InvocationSummary(
        String id,
        String function,
        String status,
        int attempts,
        @Nullable String parentId,
        String rootId,
        @Nullable String errorType,
        @Nullable String errorMessage,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant completedAt,
        @Nullable Instant deadlineAt) {

    /** What masked text shows instead of an error's message or stack, as Spring Boot masks values. */
    static final String MASKED = "******";

    /**
     * One invocation for a listing; its error message is masked unless values are shown (a message may quote an
     * argument the masking hides).
     */
    static InvocationSummary of(Invocation invocation, boolean show) {
        return new InvocationSummary(
                invocation.getId(),
                invocation.getFunctionName(),
                invocation.getStatus(),
                invocation.getAttempts(),
                invocation.getParentId(),
                invocation.getRootId(),
                invocation.getErrorType(),
                masked(Bounded.text(invocation.getErrorMessage(), Bounded.MESSAGE_CHARS), show),
                invocation.getCreatedAt(),
                invocation.getUpdatedAt(),
                invocation.getCompletedAt(),
                invocation.getDeadlineAt());
    }

    static @Nullable String masked(@Nullable String text, boolean show) {
        return (text == null || show) ? text : MASKED;
    }
}
