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
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;

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

    private final AttemptRunner runner;

    private final FunctionRegistry registry;

    private final StepResults results;

    private final DurableSteps steps;

    private final RootCalls roots;

    private final Scheduler scheduler;

    private final ScheduledExecutorService timer;

    private final ConcurrencyLimits limits;

    private final Replayer replayer;

    private final Signals signals;

    private final DispatchedInvocations dispatched;

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
        this.codec = codec;
        this.registry = registry;
        this.store = store;
        this.settings = settings;
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemon("dispatch-timer-"));
        // Every attempt arms a timeout that it cancels when it ends: drop cancelled ones at once, not when they are
        // due.
        timer.setRemoveOnCancelPolicy(true);
        this.timer = timer;
        DatabaseClock clock = new DatabaseClock(claims);
        ReadyQueue ready = new ReadyQueue(settings.queueCapacity(), timer, clock);
        TransactionTemplate joinTx = new TransactionTemplate(transactionManager);
        TransactionTemplate newTx = template(transactionManager, TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        // READ COMMITTED on MySQL and MariaDB, whose default (REPEATABLE READ) makes claims lock index gaps
        newTx.setIsolationLevel(store.database().isolationLevel());
        TransactionTemplate noTx = template(transactionManager, TransactionDefinition.PROPAGATION_NOT_SUPPORTED);
        // The engine's own threads (scheduler, writer, housekeeping) never join a caller's transaction and issue only
        // plain JDBC statements: their transactions need no persistence context, only the connection.
        TransactionTemplate ownTx = new TransactionTemplate(new JdbcTransactionManager(store.dataSource()));
        ownTx.setIsolationLevel(store.database().isolationLevel());
        OwnTransactions own = new OwnTransactions(ownTx, newTx);
        this.limits = new ConcurrencyLimits(registry, settings.workers(), settings.adaptiveConcurrency(), listener);
        TraceContexts traces = new TraceContexts(observations);
        AttemptRunner runner = new AttemptRunner(
                registry,
                codec,
                store,
                claims,
                ownTx,
                own,
                noTx,
                clock,
                ready,
                this.waiters,
                timer,
                settings,
                beans,
                traces,
                this.limits.observing(listener));
        this.runner = runner;
        this.results = new StepResults(registry, codec);
        Deadlines deadlines = new Deadlines(store, own, clock, ready, runner);
        this.steps =
                new DurableSteps(store, own, clock, ready, runner, this.results, settings, listener, traces, deadlines);
        this.roots = new RootCalls(
                store, joinTx, own, clock, ready, runner, this.waiters, this.results, settings, listener, traces);
        this.replayer = new Replayer(registry, codec, runner);
        this.scheduler = new Scheduler(
                store,
                claims,
                retention,
                signals,
                ownTx,
                clock,
                ready,
                runner,
                registry,
                settings,
                timer,
                this.limits,
                deadlines);
        this.signals = new Signals(signalStore, store, codec, joinTx, own, clock, ready);
        this.dispatched =
                new DispatchedInvocations(store, newTx, clock, ready, runner, this.waiters, this.results, settings);
        this.scheduler.onHousekeeping(this.signals::deliverDue);
    }

    /** The concurrency limits this node applies, per function. */
    public ConcurrencyLimits concurrencyLimits() {
        return this.limits;
    }

    /** The scheduler that runs this node's share of the work; a lifecycle bean of its own. */
    public Scheduler scheduler() {
        return this.scheduler;
    }

    /**
     * Runs a recorded root's function on today's code against its history, answering every durable step from it and
     * recording nothing (the test kit's {@code DispatchTester.replay}).
     *
     * @throws dev.dispatch.NonDeterminismException where today's code makes other steps than the history holds
     */
    public void replay(ReplayHistory history) {
        this.replayer.replay(history);
    }

    /** Stops the timer behind retries, heartbeats and attempt timeouts; the scheduler may stop and start before. */
    @Override
    public void destroy() {
        this.scheduler.stop();
        this.runner.stop();
        this.timer.shutdownNow();
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
                ? recording(execution, () -> this.steps.call(execution, call))
                : this.roots.callAndWait(call);
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
                        ? recording(
                                execution,
                                () -> this.steps.fireAndForget(execution, GroupKind.DISPATCH, calls, options))
                        : this.roots.dispatch(calls, options))
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
        recording(execution, () -> {
            this.steps.sleep(execution, duration);
            return null;
        });
    }

    @Override
    public void signal(String key, @Nullable Object payload) {
        Execution execution = Execution.current();
        if (execution == null) {
            this.signals.signal(null, key, payload);
            return;
        }
        recording(execution, () -> {
            this.signals.signal(execution, key, payload);
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
        return recording(execution, () -> this.signals.await(execution, key, type, timeout));
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
                ? recording(execution, () -> this.steps.fireAndForget(execution, kind, calls, DispatchOptions.none()))
                : this.roots.dispatch(calls, DispatchOptions.none());
    }

    @Override
    public <T extends @Nullable Object> List<T> gather(List<? extends Supplier<? extends T>> calls) {
        return gatherCaptured(captureAll("dispatcher.gather(...)", calls));
    }

    @Override
    public <A extends @Nullable Object, T extends @Nullable Object> List<T> gather(
            Collection<? extends A> inputs, Function<? super A, ? extends T> function) {
        checkStepSize("dispatcher.gather(...)", inputs.size());
        List<Captured> captured = new ArrayList<>(inputs.size());
        for (A input : inputs) {
            captured.add(capture("dispatcher.gather(...)", () -> function.apply(input)));
        }
        return gatherCaptured(captured);
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

    @SuppressWarnings("unchecked")
    private <T extends @Nullable Object> List<T> gatherCaptured(List<Captured> calls) {
        Object result = combine(GroupKind.GATHER, calls);
        return (result != null) ? (List<T>) result : List.of();
    }

    @Override
    public <T extends @Nullable Object> List<Settled<T>> gatherSettled(List<? extends Supplier<? extends T>> calls) {
        return settled(captureAll("dispatcher.gatherSettled(...)", calls));
    }

    @Override
    public <A extends @Nullable Object, T extends @Nullable Object> List<Settled<T>> gatherSettled(
            Collection<? extends A> inputs, Function<? super A, ? extends T> function) {
        List<Captured> captured = new ArrayList<>(inputs.size());
        for (A input : inputs) {
            captured.add(capture("dispatcher.gatherSettled(...)", () -> function.apply(input)));
        }
        return settled(captured);
    }

    @SuppressWarnings("unchecked")
    private <T extends @Nullable Object> List<Settled<T>> settled(List<Captured> calls) {
        Object result = combine(GroupKind.SETTLED, calls);
        return (result != null) ? (List<Settled<T>>) result : List.of();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends @Nullable Object> @Nullable T any(List<? extends Supplier<? extends T>> calls) {
        return (T) combine(GroupKind.ANY, captureAll("dispatcher.any(...)", calls));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends @Nullable Object> T race(List<? extends Supplier<? extends T>> calls) {
        if (calls.isEmpty()) {
            throw new IllegalArgumentException("dispatcher.race(...) needs at least one call");
        }
        return (T) combine(GroupKind.RACE, captureAll("dispatcher.race(...)", calls));
    }

    private @Nullable Object combine(GroupKind kind, List<Captured> calls) {
        Execution execution = Execution.current();
        if (execution == null) {
            return calls.isEmpty() ? null : this.roots.awaitOutside(kind, calls);
        }
        DurableSteps.Decided decided = recording(execution, () -> this.steps.await(execution, kind, calls));
        if (decided == null) {
            return null;
        }
        return switch (kind) {
            case ANY -> this.results.any(decided.outcomes(), decided.group().getWinnerId());
            case RACE -> this.results.race(decided.outcomes(), decided.group().getWinnerId());
            case SETTLED -> this.results.settled(decided.outcomes());
            default -> this.results.gather(decided.outcomes(), decided.group().getFirstFailureId());
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends @Nullable Object> T await(DispatchId id) {
        Execution execution = Execution.current();
        if (execution != null) {
            return (T) this.results.single(this.steps.awaitInvocation(execution, id.value()));
        }
        awaitCompletion(id, this.settings.callTimeout());
        return (T)
                this.results.single(this.store.findOutcomes(List.of(id.value())).get(0));
    }

    @Override
    public int cancel(DispatchId id) {
        return this.dispatched.cancel(id);
    }

    @Override
    public boolean retry(DispatchId id) {
        return this.dispatched.retry(id);
    }

    @Override
    public Optional<InvocationInfo> describe(DispatchId id) {
        return this.dispatched.describe(id);
    }

    @Override
    public <T> Optional<T> result(DispatchId id) {
        return this.dispatched.result(id);
    }

    @Override
    public InvocationInfo awaitCompletion(DispatchId id, Duration timeout) {
        return this.dispatched.awaitCompletion(id, timeout);
    }

    @Override
    public Optional<CurrentInvocation> current() {
        Execution execution = Execution.current();
        return (execution != null) ? Optional.of(execution.describe()) : Optional.empty();
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Runs a durable operation of a running function; a database failure while it records or reads its step unwinds
     * the function (it cannot catch it) and ends the attempt as a temporary failure.
     */
    private static <T extends @Nullable Object> T recording(Execution execution, Supplier<T> operation) {
        try {
            return operation.get();
        } catch (DataAccessException | TransactionException ex) {
            throw execution.storeFailed(ex);
        }
    }

    Captured capture(String operation, Runnable call) {
        return CallCapture.captureOne(this.codec, operation, call);
    }

    /**
     * Refuses a step of more calls than {@code dispatch.max-calls-per-step} before any is captured or recorded.
     *
     * @throws IllegalArgumentException naming the operation, the function that makes it and the limit
     */
    void checkStepSize(String operation, int size) {
        int max = this.settings.maxCallsPerStep();
        if (size > max) {
            Execution execution = Execution.current();
            String in = (execution != null) ? " in " + execution.function().name() : " outside any durable function";
            throw new IllegalArgumentException(operation + in + " makes " + size + " calls in one step, over"
                    + " dispatch.max-calls-per-step (" + max + "); nothing was recorded. Split the calls into"
                    + " several steps (e.g. gather chunks in turn, or dispatch a child function per chunk)");
        }
    }

    private List<Captured> captureAll(String operation, List<? extends Supplier<?>> calls) {
        checkStepSize(operation, calls.size());
        List<Captured> captured = new ArrayList<>(calls.size());
        for (Supplier<?> call : calls) {
            captured.add(capture(operation, call::get));
        }
        return captured;
    }

    private static TransactionTemplate template(PlatformTransactionManager manager, int propagation) {
        TransactionTemplate template = new TransactionTemplate(manager);
        template.setPropagationBehavior(propagation);
        return template;
    }

    private static CustomizableThreadFactory daemon(String prefix) {
        CustomizableThreadFactory factory = new CustomizableThreadFactory(prefix);
        factory.setDaemon(true);
        return factory;
    }
}
