package dev.dispatch;

import org.jspecify.annotations.Nullable;

/** Thrown by user code for a failure that will not go away: the invocation fails at once, without retry. */
public class PermanentFailureException extends DispatchException {

    private static final long serialVersionUID = 1L;

    public PermanentFailureException(String message) {
        super(message);
    }

    public PermanentFailureException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
