package dev.dispatch.engine;

import dev.dispatch.aop.FunctionDefinition;
import java.time.Duration;
import java.time.Instant;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/** When a failed attempt may run again: Spring's {@link ExponentialBackOff} with jitter, per function. */
final class RetrySchedule {

    private RetrySchedule() {}

    /**
     * The backoff after the given attempt (1 for the first) failed with {@code failure}: the function's, or longer when
     * the failure asked to wait longer ({@link RetryAfter}).
     */
    static Duration backoffAfter(FunctionDefinition function, int attempt, Throwable failure, Instant now) {
        Duration backoff = backoffAfter(function, attempt);
        Duration asked = RetryAfter.of(failure, now);
        return (asked != null && asked.compareTo(backoff) > 0) ? asked : backoff;
    }

    /** The backoff after the given attempt (1 for the first) failed. */
    static Duration backoffAfter(FunctionDefinition function, int attempt) {
        long initial = Math.max(1, function.initialBackoff().toMillis());
        ExponentialBackOff backOff = new ExponentialBackOff(initial, function.backoffMultiplier());
        backOff.setMaxInterval(Math.max(initial, function.maxBackoff().toMillis()));
        backOff.setJitter(initial / 2);
        BackOffExecution execution = backOff.start();
        long interval = initial;
        for (int i = 0; i < Math.max(1, attempt); i++) {
            long next = execution.nextBackOff();
            if (next == BackOffExecution.STOP) {
                break;
            }
            interval = next;
        }
        return Duration.ofMillis(interval);
    }
}
