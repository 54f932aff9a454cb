package dev.dispatch;

/** Where an invocation is in its life. */
public enum InvocationStatus {
    /** Recorded and waiting to run (first attempt or a retry after its backoff). */
    PENDING,
    /** An attempt is running on some node, which holds its lease. */
    RUNNING,
    /** Waiting, without holding a thread, for the calls it awaits. */
    SUSPENDED,
    /** Finished with a result. */
    SUCCEEDED,
    /** Finished with an error, after its last attempt or an error that is not retried. */
    FAILED,
    /** Cancelled before it finished. */
    CANCELLED;

    /** Whether the invocation will not change any more. */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
