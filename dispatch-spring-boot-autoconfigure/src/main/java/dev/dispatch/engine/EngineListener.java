package dev.dispatch.engine;

import dev.dispatch.Status;

/**
 * Hears what the engine does, for metrics. Called on the engine's threads: implementations must be quick and must not
 * throw.
 */
public interface EngineListener {

    /** Calls of a function were recorded. */
    default void dispatched(String function, int calls) {}

    /** An attempt of a function ended. */
    default void attemptEnded(String function, AttemptOutcome outcome, Status status) {}
}
