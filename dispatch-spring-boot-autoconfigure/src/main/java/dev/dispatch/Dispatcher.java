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
     * Runs the calls durably and returns every outcome in argument order once every call has finished (succeeded, or
     * failed for good): never throws for a call's failure, so the other calls' results are kept.
     */
    <T extends @Nullable Object> List<Settled<T>> gatherSettled(List<? extends Supplier<? extends T>> calls);

    /** Map-style {@link #gatherSettled(List)}: one call of {@code function} per input, outcomes in input order. */
    <A extends @Nullable Object, T extends @Nullable Object> List<Settled<T>> gatherSettled(
            Collection<? extends A> inputs, Function<? super A, ? extends T> function);

    /**
     * The result of an invocation dispatched earlier, by this function or anyone. Inside a durable function a durable
     * step: the function suspends (no thread held) until that invocation has finished, and a replay answers from the
     * record. Outside, waits up to {@code dispatch.call-timeout}.
     *
     * @throws CallFailedException if it failed for good or was cancelled
     * @throws IllegalArgumentException if there is no such invocation
     * @throws AwaitTimeoutException outside a function, if it is still running after the call timeout
     */
    <T extends @Nullable Object> T await(DispatchId id);

    /**
     * Records a signal under {@code key} for a function waiting in {@link #awaitSignal}: an approval, a webhook's
     * event. The payload is written as JSON, within {@code dispatch.max-payload-size}. It joins the caller's
     * transaction when there is one, so it is recorded only if that commits. Each signal is delivered to exactly one
     * wait, the oldest first; a signal sent before anyone waits is kept until a wait takes it. Inside a durable
     * function it is a step: a replay does not send it again. A {@code null} payload is delivered, and its wait answers
     * empty, as a time-out does: send a value (an event, {@code Boolean.TRUE}) when the waiter must tell them apart.
     *
     * @throws IllegalArgumentException if the key is blank or over 255 characters, or the payload cannot be written
     */
    void signal(String key, @Nullable Object payload);

    /**
     * Waits durably for a signal sent under {@code key}: a step that suspends the running function (no thread held)
     * until a signal arrives, answering its payload read as {@code type}, or until {@code timeout} has passed, answering
     * empty. The time-out is a durable timer; the wait survives restarts, and a replay answers from the record.
     *
     * @throws IllegalStateException outside a durable function
     * @throws IllegalArgumentException if the key is blank or over 255 characters, or the time-out is negative
     */
    <T> Optional<T> awaitSignal(String key, Class<T> type, Duration timeout);

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

    /**
     * Retries an invocation that FAILED, with a fresh set of attempts: what an operator's {@code retry} in the actuator
     * does. A retried parent resumes from its record: its finished steps answer from it, and no call under it that
     * SUCCEEDED runs again. A caller that waits for it, or failed because of it, sees its new outcome.
     *
     * @return whether it was FAILED (false if it is unknown or in any other state)
     */
    boolean retry(DispatchId id);

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
