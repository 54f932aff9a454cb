package dev.dispatch.engine;

import dev.dispatch.Status;
import dev.dispatch.aop.FunctionDefinition;
import dev.dispatch.aop.FunctionRegistry;
import dev.dispatch.codec.IncompatibleStateException;
import dev.dispatch.codec.JsonCodec;
import dev.dispatch.store.ClaimedInvocation;
import dev.dispatch.store.ErrorRecord;
import dev.dispatch.store.InvocationStore;
import dev.dispatch.store.Transition;
import io.micrometer.observation.Observation;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import org.springframework.aop.support.AopUtils;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.ReflectionUtils;

/**
 * Runs one attempt of a claimed invocation on the current thread and records how it ended: runs the method through
 * its proxy with an {@link Execution} bound to the thread, classifies a failure, schedules the retry or counts the
 * outcome in the caller's step, and tells local waiters.
 */
final class AttemptRunner {

    private static final Log logger = LogFactory.getLog(AttemptRunner.class);

    private final FunctionRegistry registry;

    private final JsonCodec codec;

    private final InvocationStore store;

    private final TransactionTemplate noTx;

    /** Transactions for ends written on the caller's thread (inline calls). */
    private final TransactionOperations own;

    private final TransitionWriter writer;

    private final DatabaseClock clock;

    private final ReadyQueue ready;

    private final Waiters waiters;

    private final ScheduledExecutorService timer;

    private final EngineSettings settings;

    private final Function<String, Object> beans;

    private final TraceContexts traces;

    private final EngineListener listener;

    private final Classifier classifier = new Classifier();

    /** Threads running attempts' code now, to interrupt one that is cancelled. */
    private final Map<String, Thread> running = new ConcurrentHashMap<>();

    /** Attempts started here whose end is not recorded yet, with their epochs: their leases must be renewed. */
    private final Map<String, Long> recording = new ConcurrentHashMap<>();

    /** Attempts interrupted because they were cancelled or past their deadline; guarded by itself. */
    private final Set<String> interrupted = new HashSet<>();

    private final Map<String, Method> invocable = new ConcurrentHashMap<>();

    /** Writes the rows of inline calls that run for long, off the timer's thread (a thread only while it has work). */
    private final ThreadPoolExecutor recorder = new ThreadPoolExecutor(
            0, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemonThreads("dispatch-recorder-"));

    AttemptRunner(
            FunctionRegistry registry,
            JsonCodec codec,
            InvocationStore store,
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
        this.store = store;
        this.noTx = noTx;
        this.own = own;
        this.writer = new TransitionWriter(store, tx, clock);
        this.clock = clock;
        this.ready = ready;
        this.waiters = waiters;
        this.timer = timer;
        this.settings = settings;
        this.beans = beans;
        this.traces = traces;
        this.listener = listener;
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
        this.running.put(id, Thread.currentThread());
        CompletableFuture<AttemptResult> recorded;
        try (Observation.Scope scope = observation.openScope()) {
            recorded = attempt(invocation, function, direct, first);
        } catch (RuntimeException | Error ex) {
            recorded = CompletableFuture.failedFuture(ex);
        } finally {
            leave(id);
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
        this.writer.stop();
        this.recorder.shutdownNow();
    }

    private static CustomizableThreadFactory daemonThreads(String prefix) {
        CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
        threads.setDaemon(true);
        return threads;
    }

    /** Ids of the invocations whose attempts run on this node now, on workers or inline in a caller. */
    Map<String, Long> running() {
        return Map.copyOf(this.recording);
    }

    /** Interrupts the attempt of this invocation if it runs on this node (it was cancelled). */
    boolean interrupt(String invocationId) {
        synchronized (this.interrupted) {
            Thread thread = this.running.get(invocationId);
            if (thread != null) {
                this.interrupted.add(invocationId);
                thread.interrupt();
                return true;
            }
            return false;
        }
    }

    /** Interrupts the attempts of these invocations that run on this node, except on the calling thread. */
    void interruptOthers(Collection<String> invocationIds) {
        for (String id : invocationIds) {
            if (this.running.get(id) != Thread.currentThread()) {
                interrupt(id);
            }
        }
    }

    /**
     * Forgets the attempt's thread. An interrupt meant for the attempt (cancelled, past its deadline) must not outlive
     * it: the thread goes on with other work, a caller's or a worker's.
     */
    private void leave(String invocationId) {
        synchronized (this.interrupted) {
            this.running.remove(invocationId, Thread.currentThread());
            if (this.interrupted.remove(invocationId)) {
                Thread.interrupted();
            }
        }
    }

    private CompletableFuture<AttemptResult> attempt(
            ClaimedInvocation invocation, FunctionDefinition function, boolean direct, @Nullable FirstRecord first) {
        Execution execution = Execution.enter(invocation, function, this.settings.nodeId());
        java.util.concurrent.@Nullable ScheduledFuture<?> early = null;
        if (first != null) {
            execution.writeFirstBeforeSteps(() -> {
                first.write(() -> writeRows(first));
                return first.written();
            });
            if (!this.timer.isShutdown()) {
                early = this.timer.schedule(
                        () -> writeEarly(first), FirstRecord.VISIBLE_AFTER_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
        Map<String, String> previousMdc = MDC.getCopyOfContextMap();
        MDC.put("dispatch.invocation", invocation.id());
        MDC.put("dispatch.function", function.name());
        MDC.put("dispatch.attempt", Integer.toString(invocation.attempt()));
        AttemptTimer attemptTimer = AttemptTimer.start(this.timer, function.timeout());
        Object value = null;
        Throwable failure = null;
        try {
            Object[] arguments =
                    this.codec.decodeArguments(function.name(), invocation.arguments(), function.parameterTypes());
            value = invoke(function, arguments);
        } catch (SuspendSignal signal) {
            // suspended or lease lost: the execution knows which
        } catch (Throwable ex) {
            failure = ex;
        } finally {
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
            return finish(invocation, function, storeFailure, Status.TEMPORARY_ERROR, new Ending(direct, first));
        } else if (attemptTimer.fired()) {
            failure = new AttemptTimeoutException(function.name(), function.timeout());
        }
        Ending ending = new Ending(direct, first);
        return (failure == null)
                ? succeed(invocation, function, value, ending)
                : fail(invocation, function, failure, ending);
    }

    /**
     * Writes an inline call's rows before its end (before its first step, or once it has run for a while), if its
     * caller still runs under this node's lease.
     */
    private boolean writeRows(FirstRecord first) {
        return Boolean.TRUE.equals(this.own.execute(
                status -> this.store.insertCall(first.group(), first.row(), first.callerEpoch(), this.clock.now())));
    }

    /**
     * On the timer: an inline call that runs for long shows as running (unless its rows are being written now). The
     * write itself runs on the recorder's thread, so that the timer's other work never waits for the database.
     */
    private void writeEarly(FirstRecord first) {
        try {
            this.recorder.execute(() -> {
                try {
                    first.writeIfIdle(() -> writeRows(first));
                } catch (RuntimeException ex) {
                    logger.debug("Could not record the inline call "
                            + first.row().id() + " while it runs; it is recorded with its end: " + ex);
                }
            });
        } catch (RejectedExecutionException ex) {
            // stopping: the call is recorded with its end
        }
    }

    /**
     * How an attempt's end is written: {@code direct} on this thread in a transaction of its own (an inline call's
     * caller waits for it) or by the writer; for an inline call, with its rows if they are not written yet.
     */
    private record Ending(boolean direct, @Nullable FirstRecord first) {}

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

    private CompletableFuture<AttemptResult> succeed(
            ClaimedInvocation invocation, FunctionDefinition function, @Nullable Object value, Ending ending) {
        String json;
        try {
            json = this.codec.encodeResult(function.name(), value);
        } catch (IllegalArgumentException ex) {
            return finish(invocation, function, ex, Status.INVALID_RESPONSE, ending);
        }
        Object returned = value;
        if (ending.direct()) {
            // A caller waits for this value (a direct call): it gets what a replay would, decoded from the record.
            try {
                returned = this.codec.decodeResult(function.name(), json, function.returnType());
            } catch (IncompatibleStateException ex) {
                return finish(invocation, function, ex, Status.INVALID_RESPONSE, ending);
            }
        }
        Transition transition =
                new Transition(invocation, this.settings.nodeId(), Transition.Kind.SUCCEEDED, json, null, null);
        return record(transition, AttemptResult.succeeded(returned), ending, null);
    }

    private CompletableFuture<AttemptResult> fail(
            ClaimedInvocation invocation, FunctionDefinition function, Throwable failure, Ending ending) {
        Status status = (failure instanceof IncompatibleStateException)
                ? Status.INCOMPATIBLE_STATE
                : this.classifier.classify(failure, function);
        return finish(invocation, function, failure, status, ending);
    }

    private CompletableFuture<AttemptResult> finish(
            ClaimedInvocation invocation,
            FunctionDefinition function,
            Throwable failure,
            Status status,
            Ending ending) {
        ErrorRecord error = errorRecord(failure, status);
        boolean retry = status.isTemporary() && invocation.attempt() < invocation.maxAttempts();
        String what = function.name() + " [" + invocation.id() + "] attempt " + invocation.attempt() + "/"
                + invocation.maxAttempts() + " failed with " + status + ": " + failure;
        if (retry) {
            Instant now = this.clock.now();
            Instant next = now.plus(RetrySchedule.backoffAfter(function, invocation.attempt(), failure, now));
            Transition transition =
                    new Transition(invocation, this.settings.nodeId(), Transition.Kind.RETRY, null, error, next);
            AttemptResult retried = new AttemptResult(AttemptResult.Kind.RETRY, null, failure, status, error);
            return record(transition, retried, ending, () -> {
                if (logger.isDebugEnabled()) {
                    logger.debug(what + "; retrying at " + next);
                }
                this.ready.offerAt(invocation, next);
            });
        }
        Transition transition =
                new Transition(invocation, this.settings.nodeId(), Transition.Kind.FAILED, null, error, null);
        AttemptResult failed = new AttemptResult(AttemptResult.Kind.FAILED, null, failure, status, error);
        return record(transition, failed, ending, () -> {
            if (logger.isWarnEnabled()) {
                logger.warn(
                        what + (status.isTemporary() ? "; no attempts left" : "; not retried"),
                        logger.isDebugEnabled() ? failure : null);
            }
        });
    }

    /**
     * Hands the transition to the writer; once it is written, wakes the caller locally when this decided its step and
     * runs {@code afterWrite}. Comes to {@code result}, or to an abandoned attempt if the lease was lost.
     */
    private CompletableFuture<AttemptResult> record(
            Transition transition, AttemptResult result, Ending ending, @Nullable Runnable afterWrite) {
        CompletableFuture<InvocationStore.Outcome> written;
        FirstRecord first = ending.first();
        if (ending.direct()) {
            try {
                InvocationStore.Outcome[] folded = new InvocationStore.Outcome[1];
                if (first != null) {
                    // rows not written yet: with the end, in one transaction
                    first.write(() -> {
                        folded[0] = this.own.execute(status -> this.store.recordWithCall(
                                first.group(), first.row(), first.callerEpoch(), transition, this.clock.now()));
                        return folded[0] != null && folded[0].written();
                    });
                }
                InvocationStore.Outcome outcome = (folded[0] != null)
                        ? folded[0]
                        : this.own.execute(status -> this.store.record(transition, this.clock.now()));
                written = CompletableFuture.completedFuture(outcome);
            } catch (RuntimeException ex) {
                written = CompletableFuture.failedFuture(ex);
            }
        } else if (first != null) {
            throw new IllegalStateException("The rows of an inline call are written on its caller's thread");
        } else {
            written = this.writer.submit(transition);
        }
        return written.thenApply(outcome -> {
            if (!recorded(transition, outcome)) {
                return AttemptResult.abandoned();
            }
            if (afterWrite != null) {
                afterWrite.run();
            }
            return result;
        });
    }

    /** Writes the transition and waits for it; wakes the caller locally when this decided its step. */
    boolean record(Transition transition) {
        return recorded(transition, this.writer.write(transition));
    }

    private boolean recorded(Transition transition, InvocationStore.Outcome outcome) {
        if (!outcome.written()) {
            logger.info(transition.invocation().function() + " ["
                    + transition.invocation().id() + "] is no longer"
                    + " held by this node (cancelled, or its lease expired and another node took it over); its"
                    + " outcome is not recorded");
            return false;
        }
        String woken = outcome.wokenParentId();
        if (woken != null) {
            this.ready.offerFirst(woken);
        }
        return true;
    }

    static ErrorRecord errorRecord(Throwable failure, Status status) {
        StringWriter stack = new StringWriter();
        failure.printStackTrace(new PrintWriter(stack));
        // ErrorRecord bounds and cleans what it keeps
        return new ErrorRecord(failure.getClass().getName(), failure.getMessage(), status.name(), stack.toString());
    }

    private static void restoreMdc(@Nullable Map<String, String> previous) {
        if (previous == null) {
            MDC.clear();
        } else {
            MDC.setContextMap(previous);
        }
    }

    /** Interrupts the attempt's thread once its time limit has passed. */
    private static final class AttemptTimer {

        private final Thread thread = Thread.currentThread();

        private boolean stopped;

        private boolean fired;

        private java.util.concurrent.@Nullable ScheduledFuture<?> future;

        static AttemptTimer start(ScheduledExecutorService timer, @Nullable Duration timeout) {
            AttemptTimer attemptTimer = new AttemptTimer();
            if (timeout != null && !timer.isShutdown()) {
                attemptTimer.future = timer.schedule(
                        attemptTimer::fire, timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
            }
            return attemptTimer;
        }

        private synchronized void fire() {
            if (!this.stopped) {
                this.fired = true;
                this.thread.interrupt();
            }
        }

        synchronized void stop() {
            this.stopped = true;
            if (this.future != null) {
                this.future.cancel(false);
            }
            if (this.fired) {
                Thread.interrupted();
            }
        }

        synchronized boolean fired() {
            return this.fired;
        }
    }
}
