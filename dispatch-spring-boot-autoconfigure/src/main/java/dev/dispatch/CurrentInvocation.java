package dev.dispatch;

import org.jspecify.annotations.Nullable;

/**
 * The invocation running on the current thread.
 *
 * @param id its id, stable across attempts: a good idempotency key for external services
 * @param function the function's name
 * @param attempt the attempt number, from 1
 * @param rootId the root of its tree
 * @param parentId the invocation that made this call, if any
 */
public record CurrentInvocation(
        DispatchId id,
        String function,
        int attempt,
        DispatchId rootId,
        @Nullable DispatchId parentId) {}
