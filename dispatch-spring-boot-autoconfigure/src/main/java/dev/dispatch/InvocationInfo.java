package dev.dispatch;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A read-only view of one invocation.
 *
 * @param id its id
 * @param function the function's name
 * @param status where it is in its life
 * @param attempts attempts started so far
 * @param parentId the invocation that made this call, if any
 * @param rootId the first invocation of the tree (its own id for a root)
 * @param errorType class name of the last error, if any
 * @param errorMessage message of the last error, if any
 * @param errorStatus classification of the last error, if any
 * @param createdAt when it was recorded
 * @param updatedAt when it last changed
 * @param completedAt when it finished, if it has
 * @param deadlineAt when its tree must have finished, if it has a deadline
 */
public record InvocationInfo(
        DispatchId id,
        String function,
        InvocationStatus status,
        int attempts,
        @Nullable DispatchId parentId,
        DispatchId rootId,
        @Nullable String errorType,
        @Nullable String errorMessage,
        @Nullable Status errorStatus,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant completedAt,
        @Nullable Instant deadlineAt) {

    /** A view without a deadline (the components before deadlines existed). */
    public InvocationInfo(
            DispatchId id,
            String function,
            InvocationStatus status,
            int attempts,
            @Nullable DispatchId parentId,
            DispatchId rootId,
            @Nullable String errorType,
            @Nullable String errorMessage,
            @Nullable Status errorStatus,
            Instant createdAt,
            Instant updatedAt,
            @Nullable Instant completedAt) {
        this(
                id,
                function,
                status,
                attempts,
                parentId,
                rootId,
                errorType,
                errorMessage,
                errorStatus,
                createdAt,
                updatedAt,
                completedAt,
                null);
    }
}
