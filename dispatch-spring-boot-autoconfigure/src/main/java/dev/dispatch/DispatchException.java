package dev.dispatch;

import org.jspecify.annotations.Nullable;

/** Base class of the exceptions Dispatch throws to user code. */
public abstract class DispatchException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    protected DispatchException(String message) {
        super(message);
    }

    protected DispatchException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
