package dev.dispatch.console;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One invocation as its page shows it: its state, last error, values (masked unless shown on purpose, as the
 * actuator masks them), where it sits in its tree, and its steps with their progress; each step's calls come a page at
 * a time.
 *
 * @param id its id
 * @param function its function
 * @param status its status
 * @param attempts attempts started
 * @param maxAttempts attempts allowed
 * @param parentId its caller
 * @param rootId the root of its tree
 * @param ancestors its callers from the root down to its parent
 * @param createdAt when it was recorded
 * @param updatedAt when it last changed
 * @param completedAt when it finished
 * @param deadlineAt when its tree must have finished
 * @param nextAttemptAt when it may run next
 * @param leaseOwner the node running it
 * @param errorType class name of its last error
 * @param errorStatus classification of its last error
 * @param errorMessage message of its last error
 * @param errorStack stack trace of its last error, trimmed
 * @param arguments its recorded arguments
 * @param result its recorded result
 * @param tree progress of every call under it, for a root
 * @param steps its steps that made calls, in order
 */
record InvocationView(
        String id,
        String function,
        String status,
        int attempts,
        int maxAttempts,
        @Nullable String parentId,
        String rootId,
        List<Ancestor> ancestors,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant completedAt,
        @Nullable Instant deadlineAt,
        Instant nextAttemptAt,
        @Nullable String leaseOwner,
        @Nullable String errorType,
        @Nullable String errorStatus,
        @Nullable String errorMessage,
        @Nullable String errorStack,
        Value arguments,
        Value result,
        @Nullable Progress tree,
        List<Step> steps) {

    /**
     * A caller above the invocation.
     *
     * @param id its id
     * @param function its function
     */
    record Ancestor(String id, String function) {}

    /**
     * A recorded JSON value: its size always, the value itself only when shown.
     *
     * @param size length of the JSON text, 0 when there is none
     * @param json the JSON text, or {@code null} when masked or absent
     * @param masked whether a value is there but not shown
     */
    record Value(int size, @Nullable String json, boolean masked) {}

    /**
     * One step that made calls.
     *
     * @param groupId the step's call group, whose calls are paged
     * @param step the step's index
     * @param kind call, dispatch, batch, gather, any, race or sleep
     * @param size number of calls
     * @param progress its calls by status
     * @param decidedAt when the step was decided, for an awaited step; a sleep's wake time
     */
    record Step(
            String groupId,
            int step,
            String kind,
            int size,
            Progress progress,
            @Nullable Instant decidedAt) {}
}
