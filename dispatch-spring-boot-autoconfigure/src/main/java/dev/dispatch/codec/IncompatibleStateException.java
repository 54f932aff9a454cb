package dev.dispatch.codec;

import org.jspecify.annotations.Nullable;

/**
 * A recorded value that this code cannot read (a parameter type changed, a field was renamed). Classified as
 * {@link dev.dispatch.Status#INCOMPATIBLE_STATE}: retried, since a node on another version may read it.
 */
public class IncompatibleStateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public IncompatibleStateException(String message) {
        super(message);
    }

    public IncompatibleStateException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
