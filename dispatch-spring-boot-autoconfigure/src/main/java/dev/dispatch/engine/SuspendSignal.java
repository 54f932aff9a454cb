package dev.dispatch.engine;

/**
 * Unwinds a durable function that must wait: it has been suspended (or lost its lease) and its thread is free to go.
 * An {@link Error} so that {@code catch (Exception e)} in user code does not swallow it; the engine also remembers
 * the suspension, so even swallowing it does not keep the function running.
 */
final class SuspendSignal extends Error {

    private static final long serialVersionUID = 1L;

    SuspendSignal(String invocationId) {
        super("Invocation " + invocationId + " is suspended", null, false, false);
    }
}
