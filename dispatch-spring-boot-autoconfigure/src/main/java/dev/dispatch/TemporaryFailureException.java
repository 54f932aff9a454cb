package dev.dispatch;

import org.jspecify.annotations.Nullable;

/** Thrown by user code for a failure that may go away: the invocation is retried while attempts remain. */
public class TemporaryFailureException extends DispatchException {

    private static final long serialVersionUID = 1L;

    public TemporaryFailureException(String message) {
        super(message);
    }

    public TemporaryFailureException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
