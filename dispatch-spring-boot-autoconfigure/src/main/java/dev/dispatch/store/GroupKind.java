package dev.dispatch.store;

/** What a durable step did with its calls, which decides when the step is complete. */
public enum GroupKind {
    /** A direct call of a durable function, awaited. */
    CALL(true),
    /** {@code dispatch} of one call, not awaited. */
    DISPATCH(false),
    /** {@code batch().dispatch()}, not awaited. */
    BATCH(false),
    /** {@code gather} / {@code all}: decided when all succeeded or one failed for good. */
    GATHER(true),
    /** {@code gatherSettled}: decided when every call has finished, whatever its outcome. */
    SETTLED(true),
    /** {@code any}: decided by the first success, or when all failed. */
    ANY(true),
    /** {@code race}: decided by the first call to finish. */
    RACE(true),
    /**
     * {@code await(id)}: waits for an invocation recorded elsewhere (its id in {@code winner_id}); decided when that
     * invocation is finished.
     */
    AWAIT(true),
    /** {@code sleep}: no calls; its decided time is when it ends. */
    SLEEP(false),
    /**
     * {@code awaitSignal}: no calls; decided when a signal is delivered to it or its time-out passes (its wait in
     * {@code dispatch_signal_wait}).
     */
    SIGNAL(true);

    private final boolean awaited;

    GroupKind(boolean awaited) {
        this.awaited = awaited;
    }

    /** Whether the parent waits for this step's outcome. */
    public boolean isAwaited() {
        return this.awaited;
    }

    /**
     * Whether a group of this kind with these counters is decided.
     *
     * @param size number of calls
     * @param completed calls that succeeded
     * @param failed calls that failed for good
     */
    public boolean isDecided(int size, int completed, int failed) {
        return switch (this) {
            case CALL, GATHER -> failed > 0 || completed == size;
            case SETTLED, AWAIT -> completed + failed == size;
            case ANY -> completed > 0 || failed == size;
            case RACE -> completed + failed > 0;
            case DISPATCH, BATCH, SLEEP -> true;
            case SIGNAL -> false;
        };
    }
}
