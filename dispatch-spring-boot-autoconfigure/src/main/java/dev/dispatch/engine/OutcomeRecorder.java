package dev.dispatch.engine;

import dev.dispatch.Status;
import dev.dispatch.aop.FunctionDefinition;
import dev.dispatch.codec.IncompatibleStateException;
import dev.dispatch.codec.JsonCodec;
import dev.dispatch.store.ClaimedInvocation;
import dev.dispatch.store.Claims;
import dev.dispatch.store.ErrorRecord;
import dev.dispatch.store.InvocationStore;
import dev.dispatch.store.Transition;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records how an attempt ended, once {@link AttemptRunner} has run its code: encodes the value or classifies the
 * failure, decides between success, retry and failure, hands the transition to the writer (or writes it on the
 * caller's thread for an inline call), and wakes the caller locally when this decided its step. Also writes an inline
 * call's rows ahead of its end.
 */
final class OutcomeRecorder {

    /** Logs under the attempt runner's name, as before the runner's parts had classes of their own. */
    private static final Log logger = LogFactory.getLog(AttemptRunner.class);

    private final JsonCodec codec;

    private final InvocationStore store;

    /** Transactions for ends written on the caller's thread (inline calls). */
    private final TransactionOperations own;

    private final TransitionWriter writer;

    private final DatabaseClock clock;

    private final ReadyQueue ready;

    private final EngineSettings settings;

    private final Classifier classifier = new Classifier();

    /** Writes the rows of inline calls that run for long, off the timer's thread (a thread only while it has work). */
    private final ThreadPoolExecutor recorder = new ThreadPoolExecutor(
            0, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemonThreads("dispatch-recorder-"));

    OutcomeRecorder(
            JsonCodec codec,
            InvocationStore store,
            Claims claims,
            TransactionTemplate tx,
            TransactionOperations own,
            DatabaseClock clock,
            ReadyQueue ready,
            EngineSettings settings) {
        this.codec = codec;
        this.store = store;
        this.own = own;
        this.writer = new TransitionWriter(store, claims, tx, clock);
        this.clock = clock;
        this.ready = ready;
        this.settings = settings;
    }

    /**
     * Marks a claimed call started, with the ends being written, and waits for the commit.
     *
     * @return whether this node still holds it: run it only then
     */
    boolean markStarted(ClaimedInvocation invocation) throws InterruptedException {
        return this.writer.start(invocation);
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

    /**
     * How an attempt's end is written: {@code direct} on this thread in a transaction of its own (an inline call's
     * caller waits for it) or by the writer; for an inline call, with its rows if they are not written yet.
     */
    record Ending(boolean direct, @Nullable FirstRecord first) {}

    // ---------------------------------------------------------------- an inline call's rows

    /**
     * Writes an inline call's rows before its end (before its first step, or once it has run for a while), if its
     * caller still runs under this node's lease.
     */
    boolean writeRows(FirstRecord first) {
        return Boolean.TRUE.equals(this.own.execute(
                status -> this.store.insertCall(first.group(), first.row(), first.callerEpoch(), this.clock.now())));
    }

    /**
     * On the timer: an inline call that runs for long shows as running (unless its rows are being written now). The
     * write itself runs on the recorder's thread, so that the timer's other work never waits for the database.
     */
    void writeEarly(FirstRecord first) {
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

    // ---------------------------------------------------------------- the attempt's end

    CompletableFuture<AttemptResult> succeed(
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

    CompletableFuture<AttemptResult> fail(
            ClaimedInvocation invocation, FunctionDefinition function, Throwable failure, Ending ending) {
        Status status = (failure instanceof IncompatibleStateException)
                ? Status.INCOMPATIBLE_STATE
                : this.classifier.classify(failure, function);
        return finish(invocation, function, failure, status, ending);
    }

    CompletableFuture<AttemptResult> finish(
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
}
