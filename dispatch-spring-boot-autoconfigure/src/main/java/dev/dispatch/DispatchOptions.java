package dev.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How to dispatch a call: not before a time, at most once per idempotency key, finished by a deadline, and at a
 * priority. Immutable;
 * combine with the {@code with...} methods, e.g.
 * {@code DispatchOptions.delay(Duration.ofMinutes(5)).withIdempotencyKey("order-42").withDeadline(Duration.ofHours(1))}.
 *
 * @see Dispatcher#dispatch(Runnable, DispatchOptions)
 */
public final class DispatchOptions {

    private static final DispatchOptions NONE = new DispatchOptions(null, null, null, null, null, null);

    private final @Nullable Duration delay;

    private final @Nullable Instant notBefore;

    private final @Nullable String idempotencyKey;

    private final @Nullable Duration deadline;

    private final @Nullable Instant deadlineAt;

    private final @Nullable Integer priority;

    private DispatchOptions(
            @Nullable Duration delay,
            @Nullable Instant notBefore,
            @Nullable String idempotencyKey,
            @Nullable Duration deadline,
            @Nullable Instant deadlineAt,
            @Nullable Integer priority) {
        if (delay != null && delay.isNegative()) {
            throw new IllegalArgumentException("A dispatch delay must not be negative: " + delay);
        }
        if (deadline != null && (deadline.isNegative() || deadline.isZero())) {
            throw new IllegalArgumentException("A deadline must be a positive duration: " + deadline);
        }
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 255)) {
            throw new IllegalArgumentException("An idempotency key must have 1 to 255 characters");
        }
        this.delay = delay;
        this.notBefore = notBefore;
        this.idempotencyKey = idempotencyKey;
        this.deadline = deadline;
        this.deadlineAt = deadlineAt;
        this.priority = priority;
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

    /**
     * Ends the call and every call it makes, directly or not, if they have not finished {@code timeout} after the call
     * is recorded: pending ones never start, suspended ones end, running ones are interrupted, none is retried. The
     * call ends FAILED with status {@link Status#TIMEOUT} and a {@link DeadlineExceededException} as its error. Inside
     * a durable function the dispatched call's deadline is at most the caller's own.
     */
    public static DispatchOptions deadline(Duration timeout) {
        return NONE.withDeadline(timeout);
    }

    /** Like {@link #deadline(Duration)}, with the deadline as a point in time. */
    public static DispatchOptions deadlineAt(Instant deadline) {
        return NONE.withDeadlineAt(deadline);
    }

    /**
     * Runs the call, among due calls, before those of lower priority and after those of higher; in place of its
     * function's {@code @DispatchFunction(priority)}. Inside a durable function it sets the priority of the calls the
     * step makes.
     */
    public static DispatchOptions priority(int priority) {
        return NONE.withPriority(priority);
    }

    /** These options with a priority (see {@link #priority(int)}). */
    public DispatchOptions withPriority(int priority) {
        return new DispatchOptions(
                this.delay, this.notBefore, this.idempotencyKey, this.deadline, this.deadlineAt, priority);
    }

    public DispatchOptions withDelay(Duration delay) {
        return new DispatchOptions(
                Objects.requireNonNull(delay, "delay"),
                this.notBefore,
                this.idempotencyKey,
                this.deadline,
                this.deadlineAt,
                this.priority);
    }

    public DispatchOptions withNotBefore(Instant time) {
        return new DispatchOptions(
                this.delay,
                Objects.requireNonNull(time, "time"),
                this.idempotencyKey,
                this.deadline,
                this.deadlineAt,
                this.priority);
    }

    public DispatchOptions withIdempotencyKey(String key) {
        return new DispatchOptions(
                this.delay,
                this.notBefore,
                Objects.requireNonNull(key, "key"),
                this.deadline,
                this.deadlineAt,
                this.priority);
    }

    /** This call's tree must finish within {@code timeout} of being recorded (see {@link #deadline(Duration)}). */
    public DispatchOptions withDeadline(Duration timeout) {
        return new DispatchOptions(
                this.delay,
                this.notBefore,
                this.idempotencyKey,
                Objects.requireNonNull(timeout, "timeout"),
                null,
                this.priority);
    }

    /** This call's tree must finish by {@code deadline} (see {@link #deadline(Duration)}). */
    public DispatchOptions withDeadlineAt(Instant deadline) {
        return new DispatchOptions(
                this.delay,
                this.notBefore,
                this.idempotencyKey,
                null,
                Objects.requireNonNull(deadline, "deadline"),
                this.priority);
    }

    /** The deadline of a call recorded at {@code now}, if these options set one. */
    public @Nullable Instant deadlineFrom(Instant now) {
        return (this.deadline != null) ? now.plus(this.deadline) : this.deadlineAt;
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

    /** The deadline as a duration from recording, if set that way. */
    public @Nullable Duration deadline() {
        return this.deadline;
    }

    /** The deadline as a point in time, if set that way. */
    public @Nullable Instant deadlineAt() {
        return this.deadlineAt;
    }

    /** The priority set for this dispatch, or {@code null} for the function's. */
    public @Nullable Integer priority() {
        return this.priority;
    }

    @Override
    public String toString() {
        return "DispatchOptions[delay=" + this.delay + ", notBefore=" + this.notBefore + ", idempotencyKey="
                + this.idempotencyKey + ", deadline=" + (this.deadline != null ? this.deadline : this.deadlineAt)
                + ", priority="
                + this.priority + "]";
    }
}
