package dev.dispatch;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Thrown by user code when a resource asks to slow down: counted as {@link Status#THROTTLED} and retried, and the
 * function's adaptive concurrency limit backs off. With a {@code retryAfter} (what the resource asked for, like HTTP's
 * {@code Retry-After}), the next attempt waits at least that long, whatever the function's back-off says.
 */
public class ThrottledException extends DispatchException {

    private static final long serialVersionUID = 1L;

    private final @Nullable Duration retryAfter;

    public ThrottledException(String message) {
        this(message, null, null);
    }

    public ThrottledException(String message, @Nullable Throwable cause) {
        this(message, null, cause);
    }

    /** A throttled attempt whose next attempt waits at least {@code retryAfter}. */
    public ThrottledException(String message, Duration retryAfter) {
        this(message, retryAfter, null);
    }

    /** A throttled attempt, caused by {@code cause}, whose next attempt waits at least {@code retryAfter}. */
    public ThrottledException(String message, @Nullable Duration retryAfter, @Nullable Throwable cause) {
        super(message, cause);
        if (retryAfter != null && retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative: " + retryAfter);
        }
        this.retryAfter = retryAfter;
    }

    /** The least time the next attempt waits, when the resource said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(this.retryAfter);
    }
}
