package dev.dispatch;

/**
 * A resumed function made other durable calls than its record says it made: at step {@link #step()}, the record
 * holds one call and the replay made another. The invocation fails without retry. A function must make the same
 * durable calls in the same order each time it runs; read clocks, random numbers and changing data through
 * {@link DispatchFunction} calls, whose results are recorded.
 */
public class NonDeterminismException extends DispatchException {

    private static final long serialVersionUID = 1L;

    private final int step;

    public NonDeterminismException(String function, int step, String recorded, String replayed) {
        super("Non-deterministic replay of " + function + " at step " + step + ": the record holds " + recorded
                + " but this run made " + replayed
                + ". A durable function must make the same durable calls, with the same arguments, in the same order"
                + " each time it runs.");
        this.step = step;
    }

    /** The step (0-based index of durable operations in the function) where the replay differed. */
    public int step() {
        return this.step;
    }
}
