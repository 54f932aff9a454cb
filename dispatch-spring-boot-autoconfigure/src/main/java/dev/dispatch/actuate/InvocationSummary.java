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
 * @param errorMessage message of its last error
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

    static InvocationSummary of(Invocation invocation) {
        return new InvocationSummary(
                invocation.getId(),
                invocation.getFunctionName(),
                invocation.getStatus(),
                invocation.getAttempts(),
                invocation.getParentId(),
                invocation.getRootId(),
                invocation.getErrorType(),
                invocation.getErrorMessage(),
                invocation.getCreatedAt(),
                invocation.getUpdatedAt(),
                invocation.getCompletedAt(),
                invocation.getDeadlineAt());
    }
}
