package dev.dispatch;

import org.jspecify.annotations.Nullable;

/** Thrown by user code when a resource asks to slow down: counted as {@link Status#THROTTLED} and retried. */
public class ThrottledException extends DispatchException {

    private static final long serialVersionUID = 1L;

    public ThrottledException(String message) {
        super(message);
    }

    public ThrottledException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
