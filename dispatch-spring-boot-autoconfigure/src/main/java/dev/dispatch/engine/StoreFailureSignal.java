package dev.dispatch.engine;

/**
 * Unwinds a durable function whose step could not be recorded or read (the database failed: a lost connection, a
 * timeout): like {@link SuspendSignal}, an {@link Error} so that {@code catch (Exception e)} in user code cannot take
 * a fallback and record other steps. The engine remembers the failure, and the attempt ends as a temporary failure.
 */
final class StoreFailureSignal extends Error {

    private static final long serialVersionUID = 1L;

    StoreFailureSignal(String invocationId, Throwable cause) {
        super("A step of invocation " + invocationId + " could not be recorded: " + cause, cause, false, false);
    }
}
