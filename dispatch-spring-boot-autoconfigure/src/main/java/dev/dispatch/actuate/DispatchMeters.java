package dev.dispatch.actuate;

/** Names and tags of the meters Dispatch registers. */
public final class DispatchMeters {

    /** Counter: calls recorded (dispatched, batched, gathered, called), by function. */
    public static final String CALLS = "dispatch.calls";

    /** Counter: failed attempts that are retried, by function. */
    public static final String RETRIES = "dispatch.retries";

    /** Counter: invocations that failed for good, by function. */
    public static final String FAILURES = "dispatch.failures";

    /** Gauge: invocations by status (pending, running, suspended). */
    public static final String BACKLOG = "dispatch.backlog";

    /** Gauge: workers running an attempt now. */
    public static final String WORKERS_BUSY = "dispatch.workers.busy";

    /** Gauge: workers in all. */
    public static final String WORKERS = "dispatch.workers";

    /** Gauge: ids waiting in the local ready queue. */
    public static final String QUEUE_DEPTH = "dispatch.queue.depth";

    /**
     * Gauge: the concurrency limit this node applies to a function now (its adaptive limit, else its configured one),
     * by function; present for functions with a configured limit and for those throttled at least once.
     */
    public static final String CONCURRENCY_LIMIT = "dispatch.function.concurrency.limit";

    /** Tag: the function's name. */
    public static final String FUNCTION = "function";

    /** Tag: an invocation status. */
    public static final String STATUS = "status";

    private DispatchMeters() {}
}
