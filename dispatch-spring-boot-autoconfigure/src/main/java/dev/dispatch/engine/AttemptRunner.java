package dev.dispatch.engine;

import dev.dispatch.Status;
import dev.dispatch.aop.FunctionDefinition;
import dev.dispatch.aop.FunctionRegistry;
import dev.dispatch.codec.JsonCodec;
import dev.dispatch.store.ClaimedInvocation;
import dev.dispatch.store.Claims;
import dev.dispatch.store.InvocationStore;
import dev.dispatch.store.Transition;
import io.micrometer.observation.Observation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import org.springframework.aop.support.AopUtils;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.ReflectionUtils;

/**
 * Runs one attempt of a claimed invocation on the current thread: runs the method through its proxy with an
 * {@link Execution} bound to the thread, then has the {@link OutcomeRecorder} record how it ended (classify a failure,
 * schedule the retry or count the outcome in the caller's step), and tells local waiters once it is recorded.
 */
final class AttemptRunner {

    private static final Log logger = LogFactory.getLog(AttemptRunner.class);

    private final FunctionRegistry registry;

    private final JsonCodec codec;

    private final TransactionTemplate noTx;

    private final Waiters waiters;

    private final ScheduledExecutorService timer;

    private final EngineSettings settings;

    private final Function<String, Object> beans;

    private final TraceContexts traces;

    private final EngineListener listener;

    /** Records how each attempt ended. */
    private final OutcomeRecorder outcomes;

    /** Threads running attempts' code now, to interrupt one that is cancelled. */
    private final AttemptThreads threads = new AttemptThreads();

    /** Attempts started here whose end is not recorded yet, with their epochs: their leases must be renewed. */
    private final Map<String, Long> recording = new ConcurrentHashMap<>();

    private final Map<String, Method> invocable = new ConcurrentHashMap<>();

    /** Checks before each step that this node still holds the call; the heartbeat keeps it informed. */
    private final LeaseGuard leases;

    AttemptRunner(
            FunctionRegistry registry,
            JsonCodec codec,
            InvocationStore store,
            Claims claims,
            TransactionTemplate tx,
            TransactionOperations own,
            TransactionTemplate noTx,
            DatabaseClock clock,
            ReadyQueue ready,
            Waiters waiters,
            ScheduledExecutorService timer,
            EngineSettings settings,
            Function<String, Object> beans,
            TraceContexts traces,
            EngineListener listener) {
        this.registry = registry;
        this.codec = codec;
        this.noTx = noTx;
        this.outcomes = new OutcomeRecorder(codec, store, claims, tx, own, clock, ready, settings);
        this.leases = new LeaseGuard(claims, own, clock, settings);
        this.waiters = waiters;
        this.timer = timer;
        this.settings = settings;
        this.beans = beans;
        this.traces = traces;
        this.listener = listener;
    }

    /**
     * Marks a claimed call started just before its body runs (its attempt counts from here), in the transaction that
     * writes the ends handed in meanwhile, and waits for its commit.
     *
     * @return whether this node still holds it (not cancelled or taken over meanwhile): run it only then
     */
    boolean markStarted(ClaimedInvocation invocation) throws InterruptedException {
        this.listener.attemptStarting(invocation.function(), invocation.id(), invocation.attempt());
        return this.outcomes.markStarted(invocation);
    }

    /**
     * Runs one attempt on a thread that may be inside a transaction (a caller's, or a parent's when a child runs
     * inline): that transaction is suspended meanwhile, so the attempt gets transactions of its own.
     */
    AttemptResult runDetached(ClaimedInvocation invocation) {
        return runDetached(invocation, null);
    }

    /**
     * Runs an inline call whose rows ({@code first}) are not written yet: they are written with its end, or before its
     * first step if it makes one; {@link FirstRecord#written()} tells afterwards whether they were (not if its caller
     * was no longer held by this node).
     */
    AttemptResult runDetached(ClaimedInvocation invocation, @Nullable FirstRecord first) {
        if (!OwnTransactions.inScope()) {
            return run(invocation, first);
        }
        AttemptResult result = this.noTx.execute(status -> run(invocation, first));
        return (result != null) ? result : AttemptResult.abandoned();
    }

    /** Runs one attempt and waits until its end is recorded: an inline call's caller goes on with its outcome. */
    private AttemptResult run(ClaimedInvocation invocation, @Nullable FirstRecord first) {
        try {
            return start(invocation, true, first).join();
        } catch (CompletionException ex) {
            throw (ex.getCause() instanceof RuntimeException runtime) ? runtime : ex;
        }
    }

    /**
     * Runs one attempt on this thread, observed as one {@value DispatchObservation#NAME} observation, and hands its end
     * to the writer. Returns as soon as the attempt's code is done, so that a worker can take the next one while the
     * end is written together with others; the future completes once it is recorded (on the writer's thread). Local
     * waiters, a woken parent and a retry hear of it only then, and the lease stays renewed until then.
     */
    CompletableFuture<AttemptResult> start(ClaimedInvocation invocation) {
        return start(invocation, false, null);
    }

    /**
     * Runs one attempt; {@code direct} writes its end on this thread, in a transaction of its own, instead of handing
     * it to the writer: a caller waiting for an inline call's outcome does not wait for the writer's thread.
     */
    @SuppressWarnings("try") // the observation's scope is open while the attempt runs; nothing reads it
    private CompletableFuture<AttemptResult> start(
            ClaimedInvocation invocation, boolean direct, @Nullable FirstRecord first) {
        FunctionDefinition function = this.registry.byName(invocation.function());
        if (function == null) {
            // Claims only ask for functions registered here; this is a defect, not a user error.
            throw new IllegalStateException("No function " + invocation.function() + " on this node");
        }
        Observation observation = this.traces
                .attempt(invocation.traceContext())
                .contextualName(function.name())
                .lowCardinalityKeyValue(DispatchObservation.FUNCTION, function.name())
                .highCardinalityKeyValue(DispatchObservation.INVOCATION, invocation.id())
                .highCardinalityKeyValue(DispatchObservation.ATTEMPT, Integer.toString(invocation.attempt()))
                .start();
        String id = invocation.id();
        this.recording.put(id, invocation.epoch());
        this.threads.enter(id);
        CompletableFuture<AttemptResult> recorded;
        try (Observation.Scope scope = observation.openScope()) {
            recorded = attempt(invocation, function, direct, first);
        } catch (RuntimeException | Error ex) {
            recorded = CompletableFuture.failedFuture(ex);
        } finally {
            this.threads.leave(id);
        }
        return recorded.handle((result, failure) -> {
            this.recording.remove(id, invocation.epoch());
            AttemptResult ended = (result != null) ? result : AttemptResult.abandoned();
            if (failure != null) {
                logger.error(
                        "Could not run or record " + function.name() + " [" + id + "]; its lease will expire and it"
                                + " will run again",
                        failure);
            }
            observation.lowCardinalityKeyValue(
                    DispatchObservation.OUTCOME, ended.outcome().tagValue());
            observation.lowCardinalityKeyValue(
                    DispatchObservation.STATUS, (failure == null ? ended.status() : Status.TEMPORARY_ERROR).name());
            if (ended.failure() != null && ended.outcome() != AttemptOutcome.SUCCESS) {
                observation.error(ended.failure());
            }
            observation.stop();
            this.listener.attemptEnded(function.name(), ended.outcome(), ended.status());
            // Local waiters hear of the outcome last, once it is recorded, observed and counted.
            if (ended.terminal()) {
                this.waiters.complete(id, ended);
            }
            if (failure != null) {
                // not recorded (the database is unreachable?): whoever waits on this must know
                throw (failure instanceof CompletionException completion)
                        ? completion
                        : new CompletionException(failure);
            }
            return ended;
        });
    }

    /** Stops writing outcomes (the engine is being destroyed). */
    void stop() {
        this.outcomes.stop();
    }

    /** Ids of the invocations whose attempts run on this node now, on workers or inline in a caller. */
    Map<String, Long> running() {
        return Map.copyOf(this.recording);
    }

    LeaseGuard leases() {
        return this.leases;
    }

    /** Interrupts the attempt of this invocation if it runs on this node (it was cancelled). */
    boolean interrupt(String invocationId) {
        return this.threads.interrupt(invocationId);
    }

    /** Interrupts the attempts of these invocations that run on this node, except on the calling thread. */
    void interruptOthers(Collection<String> invocationIds) {
        this.threads.interruptOthers(invocationIds);
    }

    private CompletableFuture<AttemptResult> attempt(
            ClaimedInvocation invocation, FunctionDefinition function, boolean direct, @Nullable FirstRecord first) {
        Execution execution = Execution.enter(invocation, function, this.settings.nodeId());
        execution.guardedBy(this.leases);
        java.util.concurrent.@Nullable ScheduledFuture<?> early = null;
        if (first != null) {
            execution.writeFirstBeforeSteps(
                    () -> {
                        first.write(() -> this.outcomes.writeRows(first));
                        return first.written();
                    },
                    first::written);
            if (!this.timer.isShutdown()) {
                early = this.timer.schedule(
                        () -> this.outcomes.writeEarly(first), FirstRecord.VISIBLE_AFTER_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
        Map<String, String> previousMdc = MDC.getCopyOfContextMap();
        MDC.put("dispatch.invocation", invocation.id());
        MDC.put("dispatch.function", function.name());
        MDC.put("dispatch.attempt", Integer.toString(invocation.attempt()));
        AttemptTimer attemptTimer = AttemptTimer.start(this.timer, function.timeout());
        Object value = null;
        Throwable failure = null;
        this.leases.enter(execution);
        try {
            Object[] arguments =
                    this.codec.decodeArguments(function.name(), invocation.arguments(), function.parameterTypes());
            value = invoke(function, arguments);
        } catch (SuspendSignal signal) {
            // suspended or lease lost: the execution knows which
        } catch (Throwable ex) {
            failure = ex;
        } finally {
            this.leases.exit(execution);
            attemptTimer.stop();
            if (early != null) {
                early.cancel(false);
            }
            execution.exit();
            restoreMdc(previousMdc);
        }
        if (execution.isLeaseLost()) {
            logger.info(function.name() + " [" + invocation.id() + "] is no longer held by this node (cancelled, or"
                    + " its lease expired and another node took it over)");
            return CompletableFuture.completedFuture(AttemptResult.abandoned());
        }
        if (execution.isSuspended()) {
            return CompletableFuture.completedFuture(AttemptResult.suspended());
        }
        if (execution.nonDeterminism() != null) {
            failure = execution.nonDeterminism();
        } else if (execution.storeFailure() != null) {
            // a step could not be recorded: whatever the function did after that, the attempt failed for now
            RuntimeException storeFailure = execution.storeFailure();
            return this.outcomes.finish(
                    invocation,
                    function,
                    storeFailure,
                    Status.TEMPORARY_ERROR,
                    new OutcomeRecorder.Ending(direct, first));
        } else if (attemptTimer.fired()) {
            // the timer fires only for a function with a timeout
            failure = new AttemptTimeoutException(function.name(), Objects.requireNonNull(function.timeout()));
        }
        OutcomeRecorder.Ending ending = new OutcomeRecorder.Ending(direct, first);
        return (failure == null)
                ? this.outcomes.succeed(invocation, function, value, ending)
                : this.outcomes.fail(invocation, function, failure, ending);
    }

    @Nullable
    Object invoke(FunctionDefinition function, @Nullable Object[] arguments) throws Throwable {
        Object bean = this.beans.apply(function.beanName());
        Method method = this.invocable.computeIfAbsent(function.name(), name -> {
            Method selected = AopUtils.selectInvocableMethod(function.method(), bean.getClass());
            ReflectionUtils.makeAccessible(selected);
            return selected;
        });
        try {
            return method.invoke(bean, arguments);
        } catch (InvocationTargetException ex) {
            throw ex.getTargetException();
        }
    }

    /** Writes the transition and waits for it; wakes the caller locally when this decided its step. */
    boolean record(Transition transition) {
        return this.outcomes.record(transition);
    }

    private static void restoreMdc(@Nullable Map<String, String> previous) {
        if (previous == null) {
            MDC.clear();
        } else {
            MDC.setContextMap(previous);
        }
    }
}
