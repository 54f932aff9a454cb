package dev.dispatch.engine;

import dev.dispatch.Status;

/**
 * Hears what the engine does, for metrics. Called on the engine's threads: implementations must be quick and must not
 * throw.
 */
public interface EngineListener {

    /** Calls of a function were recorded. */
    default void dispatched(String function, int calls) {}

    /**
     * A worker is about to start an attempt of a claimed call: it marks the call started next (from then on the attempt
     * counts) and then runs its body. A call claimed ahead that waits for a worker has not got this far.
     */
    default void attemptStarting(String function, String invocationId, int attempt) {}

    /** An attempt of a function ended. */
    default void attemptEnded(String function, AttemptOutcome outcome, Status status) {}

    /**
     * The concurrency limit this node applies to a function changed (or became known): configured at startup, lowered
     * by throttling, raised by successes.
     */
    default void concurrencyLimitChanged(String function, double limit) {}
}
