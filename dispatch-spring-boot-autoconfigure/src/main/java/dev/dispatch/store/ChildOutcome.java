package dev.dispatch.store;

import org.jspecify.annotations.Nullable;

/**
 * What a recorded child call came to, as a replaying parent reads it.
 *
 * @param id the child's id
 * @param groupId its step ({@code null} for a root)
 * @param position its position in the step
 * @param function its function
 * @param status its status name
 * @param result its result (JSON), when it succeeded
 * @param errorType class name of its last error
 * @param errorMessage message of its last error
 * @param errorStatus classification of its last error
 */
public record ChildOutcome(
        String id,
        @Nullable String groupId,
        int position,
        String function,
        String status,
        @Nullable String result,
        @Nullable String errorType,
        @Nullable String errorMessage,
        @Nullable String errorStatus) {}
