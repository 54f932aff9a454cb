package dev.dispatch.engine;

import dev.dispatch.Batch;
import dev.dispatch.CurrentInvocation;
import dev.dispatch.DispatchId;
import dev.dispatch.DispatchOptions;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationInfo;
import dev.dispatch.Settled;
import dev.dispatch.aop.CallHandler;
import dev.dispatch.aop.FunctionDefinition;
import dev.dispatch.aop.FunctionRegistry;
import dev.dispatch.codec.JsonCodec;
import dev.dispatch.store.Claims;
import dev.dispatch.store.GroupKind;
import dev.dispatch.store.InvocationStore;
import dev.dispatch.store.ReadySignals;
import dev.dispatch.store.Retention;
import dev.dispatch.store.SignalStore;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The durable function engine: the {@link Dispatcher} users call, and the {@link CallHandler} every call of a
 * {@code @DispatchFunction} goes through. It decides what a call is (captured by a dispatcher operation, the body of
 * an attempt, a durable child call, or a new root) and hands it to the part that deals with it.
 */
public final class Engine implements Dispatcher, CallHandler, DisposableBean {

    private final JsonCodec codec;

    private final InvocationStore store;

    private final EngineSettings settings;

    private final Waiters waiters = new Waiters();

    private final FunctionRegistry registry;

    private final EngineParts parts;

    private final FanIn fanIn;

    public Engine(
            FunctionRegistry registry,
            JsonCodec codec,
            InvocationStore store,
            Claims claims,
            Retention retention,
            SignalStore signalStore,
            ReadySignals signals,
            PlatformTransactionManager transactionManager,
            EngineSettings settings,
            Function<String, Object> beans,
            ObservationRegistry observations,
            EngineListener listener) {
        EngineParts parts = new EngineParts(
                registry,
                codec,
                store,
                claims,
                retention,
                signalStore,
                signals,
                transactionManager,
                settings,
                beans,
                observations,
                listener,
                this.waiters);
        this.codec = codec;
        this.registry = registry;
        this.store = store;
        this.settings = settings;
        this.parts = parts;
        this.fanIn = new FanIn(codec, settings, parts.steps, parts.roots, parts.results);
    }

    /** The concurrency limits this node applies, per function. */
    public ConcurrencyLimits concurrencyLimits() {
        return this.parts.limits;
    }

    /** The scheduler that runs this node's share of the work; a lifecycle bean of its own. */
    public Scheduler scheduler() {
        return this.parts.scheduler;
    }

    /**
     * Runs a recorded root's function on today's code against its history, answering every durable step from it and
     * recording nothing (the test kit's {@code DispatchTester.replay}).
     *
     * @throws dev.dispatch.NonDeterminismException where today's code makes other steps than the history holds
     */
    public void replay(ReplayHistory history) {
        this.parts.replayer.replay(history);
    }

    /** Stops the timer behind retries, heartbeats and attempt timeouts; the scheduler may stop and start before. */
    @Override
    public void destroy() {
        this.parts.scheduler.stop();
        this.parts.runner.stop();
        this.parts.timer.shutdownNow();
    }

    // ---------------------------------------------------------------- CallHandler

    @Override
    public @Nullable Object handle(FunctionDefinition function, @Nullable Object[] arguments, Body body)
            throws Throwable {
        CallCapture capture = CallCapture.current();
        if (capture != null) {
            return capture.record(function, arguments);
        }
        Execution execution = Execution.current();
        if (execution != null && execution.consumeEntry(function)) {
            return body.proceed();
        }
        Captured call = new Captured(function, arguments, this.codec.encodeArguments(function.name(), arguments));
        return (execution != null)
                ? execution.recording(() -> this.parts.steps.call(execution, call))
                : this.parts.roots.callAndWait(call);
    }

    // ---------------------------------------------------------------- Dispatcher

    @Override
    public DispatchId dispatch(Runnable call) {
        return dispatch(call, DispatchOptions.none());
    }

    @Override
    public DispatchId dispatch(Runnable call, DispatchOptions options) {
        List<Captured> calls = List.of(capture("dispatcher.dispatch(...)", call));
        Execution execution = Execution.current();
        return ((execution != null)
                        ? execution.recording(
                                () -> this.parts.steps.fireAndForget(execution, GroupKind.DISPATCH, calls, options))
                        : this.parts.roots.dispatch(calls, options))
                .get(0);
    }

    @Override
    public void sleep(Duration duration) {
        Execution execution = Execution.current();
        if (execution == null) {
            throw new IllegalStateException(
                    "dispatcher.sleep(...) suspends a durable function and must be called inside"
                            + " a @DispatchFunction; outside one, use Thread.sleep");
        }
        execution.recording(() -> {
            this.parts.steps.sleep(execution, duration);
            return null;
        });
    }

    @Override
    public void signal(String key, @Nullable Object payload) {
        Execution execution = Execution.current();
        if (execution == null) {
            this.parts.signals.signal(null, key, payload);
            return;
        }
        execution.recording(() -> {
            this.parts.signals.signal(execution, key, payload);
            return null;
        });
    }

    @Override
    public <T> Optional<T> awaitSignal(String key, Class<T> type, Duration timeout) {
        Execution execution = Execution.current();
        if (execution == null) {
            throw new IllegalStateException("dispatcher.awaitSignal(...) waits durably and must be called inside"
                    + " a @DispatchFunction; outside one, start a function that awaits the signal and await it");
        }
        return execution.recording(() -> this.parts.signals.await(execution, key, type, timeout));
    }

    @Override
    public Batch batch() {
        return new DefaultBatch(this);
    }

    List<DispatchId> dispatchBatch(List<Captured> calls) {
        return dispatchAll(GroupKind.BATCH, List.copyOf(calls));
    }

    private List<DispatchId> dispatchAll(GroupKind kind, List<Captured> calls) {
        Execution execution = Execution.current();
        return (execution != null)
                ? execution.recording(
                        () -> this.parts.steps.fireAndForget(execution, kind, calls, DispatchOptions.none()))
                : this.parts.roots.dispatch(calls, DispatchOptions.none());
    }

    @Override
    public <T extends @Nullable Object> List<T> gather(List<? extends Supplier<? extends T>> calls) {
        return this.fanIn.gather(this.fanIn.captureAll("dispatcher.gather(...)", calls));
    }

    @Override
    public <A extends @Nullable Object, T extends @Nullable Object> List<T> gather(
            Collection<? extends A> inputs, Function<? super A, ? extends T> function) {
        return this.fanIn.gather(this.fanIn.captureEach("dispatcher.gather(...)", inputs, function));
    }

    @Override
    public <T extends @Nullable Object> List<T> all(List<? extends Supplier<? extends T>> calls) {
        return gather(calls);
    }

    @Override
    public <A extends @Nullable Object, T extends @Nullable Object> List<T> all(
            Collection<? extends A> inputs, Function<? super A, ? extends T> function) {
        return gather(inputs, function);
    }

    @Override
    public <T extends @Nullable Object> List<Settled<T>> gatherSettled(List<? extends Supplier<? extends T>> calls) {
        return this.fanIn.settled(this.fanIn.captureAll("dispatcher.gatherSettled(...)", calls));
    }

    @Override
    public <A extends @Nullable Object, T extends @Nullable Object> List<Settled<T>> gatherSettled(
            Collection<? extends A> inputs, Function<? super A, ? extends T> function) {
        return this.fanIn.settled(this.fanIn.captureEach("dispatcher.gatherSettled(...)", inputs, function));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends @Nullable Object> @Nullable T any(List<? extends Supplier<? extends T>> calls) {
        return (T) this.fanIn.combine(GroupKind.ANY, this.fanIn.captureAll("dispatcher.any(...)", calls));
    }

    @Override
    @SuppressWarnings({"unchecked", "NullAway"}) // T may be a nullable type (NullAway reads it in JSpecify mode only)
    public <T extends @Nullable Object> T race(List<? extends Supplier<? extends T>> calls) {
        if (calls.isEmpty()) {
            throw new IllegalArgumentException("dispatcher.race(...) needs at least one call");
        }
        return (T) this.fanIn.combine(GroupKind.RACE, this.fanIn.captureAll("dispatcher.race(...)", calls));
    }

    @Override
    @SuppressWarnings({"unchecked", "NullAway"}) // T may be a nullable type (NullAway reads it in JSpecify mode only)
    public <T extends @Nullable Object> T await(DispatchId id) {
        Execution execution = Execution.current();
        if (execution != null) {
            return (T) this.parts.results.single(this.parts.steps.awaitInvocation(execution, id.value()));
        }
        awaitCompletion(id, this.settings.callTimeout());
        return (T) this.parts.results.single(
                this.store.findOutcomes(List.of(id.value())).get(0));
    }

    @Override
    public int cancel(DispatchId id) {
        return this.parts.dispatched.cancel(id);
    }

    @Override
    public boolean retry(DispatchId id) {
        return this.parts.dispatched.retry(id);
    }

    @Override
    public Optional<InvocationInfo> describe(DispatchId id) {
        return this.parts.dispatched.describe(id);
    }

    @Override
    public <T> Optional<T> result(DispatchId id) {
        return this.parts.dispatched.result(id);
    }

    @Override
    public InvocationInfo awaitCompletion(DispatchId id, Duration timeout) {
        return this.parts.dispatched.awaitCompletion(id, timeout);
    }

    @Override
    public Optional<CurrentInvocation> current() {
        Execution execution = Execution.current();
        return (execution != null) ? Optional.of(execution.describe()) : Optional.empty();
    }

    // ---------------------------------------------------------------- helpers

    Captured capture(String operation, Runnable call) {
        return this.fanIn.capture(operation, call);
    }

    void checkStepSize(String operation, int size) {
        this.fanIn.checkStepSize(operation, size);
    }
}
