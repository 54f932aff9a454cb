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
    /** {@code any}: decided by the first success, or when all failed. */
    ANY(true),
    /** {@code race}: decided by the first call to finish. */
    RACE(true),
    /** {@code sleep}: no calls; its decided time is when it ends. */
    SLEEP(false);

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
            case ANY -> completed > 0 || failed == size;
            case RACE -> completed + failed > 0;
            case DISPATCH, BATCH, SLEEP -> true;
        };
    }
}
