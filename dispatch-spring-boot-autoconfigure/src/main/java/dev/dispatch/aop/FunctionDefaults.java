package dev.dispatch.aop;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Policy values for the attributes a {@code @DispatchFunction} leaves unset.
 *
 * @param maxAttempts attempts allowed, the first included
 * @param initialBackoff backoff before the first retry
 * @param maxBackoff upper bound of the backoff
 * @param multiplier growth of the backoff per attempt
 * @param timeout time limit of one attempt, or {@code null} for none
 * @param concurrency most invocations of a function running at once, {@code 0} for no limit
 */
public record FunctionDefaults(
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff,
        double multiplier,
        @Nullable Duration timeout,
        int concurrency) {

    /** Defaults without a concurrency limit. */
    public FunctionDefaults(
            int maxAttempts,
            Duration initialBackoff,
            Duration maxBackoff,
            double multiplier,
            @Nullable Duration timeout) {
        this(maxAttempts, initialBackoff, maxBackoff, multiplier, timeout, 0);
    }
}
