package dev.dispatch;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one call of {@link Dispatcher#gatherSettled}: its result if it succeeded, its failure if it failed
 * for good (or was cancelled).
 *
 * @param <T> the call's result type
 */
public final class Settled<T extends @Nullable Object> {

    private final DispatchId id;

    private final @Nullable T value;

    private final @Nullable CallFailedException failure;

    private Settled(DispatchId id, @Nullable T value, @Nullable CallFailedException failure) {
        this.id = id;
        this.value = value;
        this.failure = failure;
    }

    /** A call that succeeded with {@code value}. */
    public static <T extends @Nullable Object> Settled<T> success(DispatchId id, T value) {
        return new Settled<>(id, value, null);
    }

    /** A call that failed for good. */
    public static <T extends @Nullable Object> Settled<T> failure(CallFailedException failure) {
        return new Settled<>(failure.id(), null, failure);
    }

    /** The call's invocation. */
    public DispatchId id() {
        return this.id;
    }

    /** Whether the call succeeded. */
    public boolean succeeded() {
        return this.failure == null;
    }

    /**
     * The call's result.
     *
     * @throws IllegalStateException if it failed (the failure is its cause)
     */
    // T may be a nullable type: NullAway reads such generics only in JSpecify mode (JDK 22+)
    @SuppressWarnings("NullAway")
    public T value() {
        CallFailedException failed = this.failure;
        if (failed != null) {
            throw new IllegalStateException(
                    "The call " + this.id + " of " + failed.function() + " failed, it has no value: "
                            + failed.getMessage(),
                    failed);
        }
        return this.value;
    }

    /** Why the call failed, if it did. */
    public Optional<CallFailedException> failure() {
        return Optional.ofNullable(this.failure);
    }

    @Override
    public String toString() {
        return succeeded()
                ? "Settled[" + this.id + " succeeded: " + this.value + "]"
                : "Settled[" + this.id + " failed: " + this.failure + "]";
    }
}
