package dev.dispatch;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Starts durable calls and combines them. A <em>call</em> is a zero-argument lambda that invokes exactly one
 * {@link DispatchFunction} method on an injected bean, for example {@code () -> mailer.send(user)}: the lambda is
 * not run, it is recorded.
 *
 * <p>Inside a durable function every operation here is a recorded step: when the function resumes after a crash
 * or a retry, the step answers from the record instead of calling again.
 */
public interface Dispatcher {

    /** Records one call and returns at once (fire and forget). */
    DispatchId dispatch(Runnable call);

    /**
     * Records one call to run no earlier than the options say, and at most once per idempotency key; returns at once.
     * Inside a durable function the options are recorded with the step, so a replay neither delays again nor records
     * twice.
     */
    DispatchId dispatch(Runnable call, DispatchOptions options);

    /**
     * Suspends the running durable function for {@code duration} without holding a thread; it resumes afterwards, on
     * this node or another, also across restarts. A replay that reaches a sleep already over goes straight on.
     *
     * @throws IllegalStateException outside a durable function
     */
    void sleep(Duration duration);

    /** Starts a batch of fire-and-forget calls, recorded all together or not at all. */
    Batch batch();

    /**
     * Runs the calls durably and returns their results in argument order (not completion order). The first call
     * that fails for good makes this throw {@link CallFailedException}; the other calls keep running.
     */
    <T extends @Nullable Object> List<T> gather(List<? extends Supplier<? extends T>> calls);

    /**
     * Map-style {@link #gather(List)}: one call of {@code function} per input, results in input order, e.g.
     * {@code dispatcher.gather(clients, pdfs::generateInvoice)}.
     */
    <A extends @Nullable Object, T extends @Nullable Object> List<T> gather(
            Collection<? extends A> inputs, Function<? super A, ? extends T> function);

    /** The same as {@link #gather(List)}. */
    <T extends @Nullable Object> List<T> all(List<? extends Supplier<? extends T>> calls);

    /** The same as {@link #gather(Collection, Function)}. */
    <A extends @Nullable Object, T extends @Nullable Object> List<T> all(
            Collection<? extends A> inputs, Function<? super A, ? extends T> function);

    /**
     * Returns the first successful result. If every call fails, throws {@link AnyFailedException} with each error
     * in argument order. Returns {@code null} for no calls.
     */
    <T extends @Nullable Object> @Nullable T any(List<? extends Supplier<? extends T>> calls);

    /** The first call to finish decides: returns its result, or throws {@link CallFailedException} for its failure. */
    <T extends @Nullable Object> T race(List<? extends Supplier<? extends T>> calls);

    /**
     * Cancels an invocation and its descendants that have not finished: pending ones never start, suspended ones end,
     * running ones are interrupted (on this node) and their outcome is discarded; none is retried. A caller awaiting a
     * cancelled call sees a {@link CallFailedException} with status {@link Status#CANCELLED}.
     *
     * @return how many invocations were cancelled (zero if it had already finished)
     */
    int cancel(DispatchId id);

    /** Reads the current state of an invocation. */
    Optional<InvocationInfo> describe(DispatchId id);

    /**
     * The result of an invocation that SUCCEEDED, read back with its function's declared return type; empty while it
     * has not succeeded (or when it returned nothing).
     *
     * @throws IllegalArgumentException if there is no such invocation
     */
    <T> Optional<T> result(DispatchId id);

    /**
     * Waits until the invocation is finished (succeeded, failed or cancelled) and returns its final state.
     *
     * @throws AwaitTimeoutException if it is still running after {@code timeout}
     * @throws IllegalArgumentException if there is no such invocation
     */
    InvocationInfo awaitCompletion(DispatchId id, Duration timeout);

    /**
     * The invocation running on this thread, if any: its id and attempt are what user code passes to external
     * services as an idempotency key.
     */
    Optional<CurrentInvocation> current();
}
