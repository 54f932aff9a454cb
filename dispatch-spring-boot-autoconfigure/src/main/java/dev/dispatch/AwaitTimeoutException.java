package dev.dispatch;

import java.time.Duration;

/**
 * An invocation did not finish within the time a caller was prepared to wait. The invocation itself goes on; only
 * the wait ended.
 */
public class AwaitTimeoutException extends DispatchException {

    private static final long serialVersionUID = 1L;

    private final DispatchId id;

    public AwaitTimeoutException(DispatchId id, String function, Duration waited) {
        super("Invocation " + function + " [" + id + "] did not finish within " + waited
                + "; it goes on in the background (see Dispatcher.describe)");
        this.id = id;
    }

    /** The invocation that is still running. */
    public DispatchId id() {
        return this.id;
    }
}
