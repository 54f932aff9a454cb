package dev.dispatch;

import org.jspecify.annotations.Nullable;

/**
 * A durable call failed for good (after its last attempt, or with an error that is not retried). Thrown where the
 * result was awaited: by {@code gather}, {@code race}, a direct call of a {@link DispatchFunction}.
 */
public class CallFailedException extends DispatchException {

    private static final long serialVersionUID = 1L;

    private final DispatchId id;

    private final String function;

    private final Status status;

    private final @Nullable String errorType;

    private final @Nullable String errorMessage;

    public CallFailedException(
            DispatchId id,
            String function,
            Status status,
            @Nullable String errorType,
            @Nullable String errorMessage,
            @Nullable Throwable cause) {
        super(
                "Call " + function + " [" + id + "] failed with " + status + ": " + errorType
                        + (errorMessage != null ? ": " + errorMessage : ""),
                cause);
        this.id = id;
        this.function = function;
        this.status = status;
        this.errorType = errorType;
        this.errorMessage = errorMessage;
    }

    /** The failed invocation. */
    public DispatchId id() {
        return this.id;
    }

    /** The failed invocation's function. */
    public String function() {
        return this.function;
    }

    /** Classification of its last error. */
    public Status status() {
        return this.status;
    }

    /** Class name of its last error. */
    public @Nullable String errorType() {
        return this.errorType;
    }

    /** Message of its last error. */
    public @Nullable String errorMessage() {
        return this.errorMessage;
    }
}
