package dev.dispatch.engine;

/** Names of the observation the engine makes of each attempt, and of its key values. */
public final class DispatchObservation {

    /** One observation per execution attempt; metrics (a timer) and traces (a span) come from it. */
    public static final String NAME = "dispatch.function";

    /** Low cardinality: the function's name. */
    public static final String FUNCTION = "function";

    /** Low cardinality: success, retry, failure, suspended, abandoned. */
    public static final String OUTCOME = "outcome";

    /** Low cardinality: the attempt's {@link dev.dispatch.Status}. */
    public static final String STATUS = "status";

    /** High cardinality: the invocation's id. */
    public static final String INVOCATION = "invocation";

    /** High cardinality: the attempt's number. */
    public static final String ATTEMPT = "attempt";

    private DispatchObservation() {}
}
