package dev.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How to dispatch a call: not before a time, and at most once per idempotency key. Immutable; combine with the
 * {@code with...} methods, e.g. {@code DispatchOptions.delay(Duration.ofMinutes(5)).withIdempotencyKey("order-42")}.
 *
 * @see Dispatcher#dispatch(Runnable, DispatchOptions)
 */
public final class DispatchOptions {

    private static final DispatchOptions NONE = new DispatchOptions(null, null, null);

    private final @Nullable Duration delay;

    private final @Nullable Instant notBefore;

    private final @Nullable String idempotencyKey;

    private DispatchOptions(@Nullable Duration delay, @Nullable Instant notBefore, @Nullable String idempotencyKey) {
        if (delay != null && delay.isNegative()) {
            throw new IllegalArgumentException("A dispatch delay must not be negative: " + delay);
        }
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 255)) {
            throw new IllegalArgumentException("An idempotency key must have 1 to 255 characters");
        }
        this.delay = delay;
        this.notBefore = notBefore;
        this.idempotencyKey = idempotencyKey;
    }

    /** No options: run as soon as possible. */
    public static DispatchOptions none() {
        return NONE;
    }

    /** Runs the call no earlier than {@code delay} after it is recorded. */
    public static DispatchOptions delay(Duration delay) {
        return NONE.withDelay(delay);
    }

    /** Runs the call no earlier than {@code time}. */
    public static DispatchOptions notBefore(Instant time) {
        return NONE.withNotBefore(time);
    }

    /**
     * Dispatches the call at most once for this key: a second dispatch with the same key, from anywhere, returns the
     * first call's id instead of recording another.
     */
    public static DispatchOptions idempotencyKey(String key) {
        return NONE.withIdempotencyKey(key);
    }

    public DispatchOptions withDelay(Duration delay) {
        return new DispatchOptions(Objects.requireNonNull(delay, "delay"), this.notBefore, this.idempotencyKey);
    }

    public DispatchOptions withNotBefore(Instant time) {
        return new DispatchOptions(this.delay, Objects.requireNonNull(time, "time"), this.idempotencyKey);
    }

    public DispatchOptions withIdempotencyKey(String key) {
        return new DispatchOptions(this.delay, this.notBefore, Objects.requireNonNull(key, "key"));
    }

    /** When a call recorded at {@code now} may first run: the later of the delay and the not-before time. */
    public Instant firstRunAt(Instant now) {
        Instant at = (this.delay != null) ? now.plus(this.delay) : now;
        return (this.notBefore != null && this.notBefore.isAfter(at)) ? this.notBefore : at;
    }

    public @Nullable Duration delay() {
        return this.delay;
    }

    public @Nullable Instant notBefore() {
        return this.notBefore;
    }

    public @Nullable String idempotencyKey() {
        return this.idempotencyKey;
    }

    @Override
    public String toString() {
        return "DispatchOptions[delay=" + this.delay + ", notBefore=" + this.notBefore + ", idempotencyKey="
                + this.idempotencyKey + "]";
    }
}
