package dev.dispatch;

/**
 * Classification of an attempt's outcome, after Dispatch's. It decides whether a failed attempt is retried.
 */
public enum Status {
    /** Success. */
    OK(false),
    /** The attempt ran past its time limit, or a remote call timed out (HTTP 408). Retried. */
    TIMEOUT(true),
    /** A resource asked to slow down (HTTP 429, {@link ThrottledException}). Retried. */
    THROTTLED(true),
    /** The arguments are not valid ({@link IllegalArgumentException}). Not retried. */
    INVALID_ARGUMENT(false),
    /** The function returned something that cannot be recorded. Not retried. */
    INVALID_RESPONSE(false),
    /** A failure that may go away ({@link TemporaryFailureException}, I/O errors, HTTP 5xx, unknown exceptions). Retried. */
    TEMPORARY_ERROR(true),
    /** A failure that will not go away ({@link PermanentFailureException}, HTTP 4xx). Not retried. */
    PERMANENT_ERROR(false),
    /**
     * A recorded call this code cannot read (its arguments no longer fit the method). Retried: a node on another
     * version may be able to.
     */
    INCOMPATIBLE_STATE(true),
    /** Authentication is missing or wrong (HTTP 401). Not retried. */
    UNAUTHENTICATED(false),
    /** Permission denied (HTTP 403, {@link SecurityException}). Not retried. */
    PERMISSION_DENIED(false),
    /** A resource was not found (HTTP 404). Not retried. */
    NOT_FOUND(false),
    /** A connection could not be made or broke. Retried. */
    TCP_ERROR(true),
    /** A name could not be resolved. Retried. */
    DNS_ERROR(true),
    /** The invocation was cancelled. Not retried. */
    CANCELLED(false);

    private final boolean temporary;

    Status(boolean temporary) {
        this.temporary = temporary;
    }

    /** Whether an attempt that ended with this status is retried (while attempts remain). */
    public boolean isTemporary() {
        return this.temporary;
    }
}
