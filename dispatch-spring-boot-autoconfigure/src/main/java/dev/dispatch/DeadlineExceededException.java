package dev.dispatch;

import java.time.Instant;

/**
 * The deadline of an invocation's tree passed before it finished: the invocation and every unfinished descendant
 * ended, FAILED with status {@link Status#TIMEOUT}, and none is retried. The engine records this exception's type and
 * message as their error; {@link Dispatcher#awaitCompletion} and {@link Dispatcher#describe} show it, and a caller
 * waiting for such a call gets a {@link CallFailedException} with status {@link Status#TIMEOUT}.
 *
 * @see DispatchOptions#deadline(java.time.Duration)
 * @see DispatchFunction#deadline()
 */
public class DeadlineExceededException extends DispatchException {

    private static final long serialVersionUID = 1L;

    private final String function;

    private final Instant deadline;

    public DeadlineExceededException(String function, Instant deadline) {
        super(message(function, deadline));
        this.function = function;
        this.deadline = deadline;
    }

    /** The message recorded for an invocation that ended because the deadline of {@code function}'s tree passed. */
    public static String message(String function, Instant deadline) {
        return "Deadline of " + function + " passed at " + deadline + "; it and its unfinished calls were ended";
    }

    /** The function whose deadline passed: the top of the tree that ended. */
    public String function() {
        return this.function;
    }

    /** When the deadline passed. */
    public Instant deadline() {
        return this.deadline;
    }
}
