package dev.dispatch;

import java.util.List;

/** Every call of {@link Dispatcher#any} failed. */
public class AnyFailedException extends DispatchException {

    private static final long serialVersionUID = 1L;

    private final List<CallFailedException> failures;

    public AnyFailedException(List<CallFailedException> failures) {
        super("All " + failures.size() + " calls of any(...) failed; first: "
                + (failures.isEmpty() ? "none" : failures.get(0).getMessage()));
        this.failures = List.copyOf(failures);
        this.failures.forEach(this::addSuppressed);
    }

    /** Each call's failure, in argument order. */
    public List<CallFailedException> failures() {
        return this.failures;
    }
}
