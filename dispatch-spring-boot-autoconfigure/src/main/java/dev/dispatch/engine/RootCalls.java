package dev.dispatch.engine;

import dev.dispatch.AwaitTimeoutException;
import dev.dispatch.CallFailedException;
import dev.dispatch.DispatchId;
import dev.dispatch.DispatchOptions;
import dev.dispatch.InvocationStatus;
import dev.dispatch.aop.FunctionDefinition;
import dev.dispatch.store.ChildOutcome;
import dev.dispatch.store.ClaimedInvocation;
import dev.dispatch.store.GroupKind;
import dev.dispatch.store.InvocationStore;
import dev.dispatch.store.NewInvocation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Durable calls made from outside any durable function: each becomes a root invocation. A dispatch joins the
 * caller's transaction (it is recorded only if that commits, and signalled after the commit); a call that waits for
 * its result is recorded in a transaction of its own and runs at once on the caller's thread.
 */
final class RootCalls {

    private static final Duration OUTSIDE_POLL = Duration.ofMillis(20);

    private final InvocationStore store;

    private final TransactionTemplate joinTx;

    private final TransactionOperations newTx;

    private final DatabaseClock clock;

    private final ReadyQueue ready;

    private final AttemptRunner runner;

    private final Waiters waiters;

    private final StepResults results;

    private final EngineSettings settings;

    private final EngineListener listener;

    private final TraceContexts traces;

    RootCalls(
            InvocationStore store,
            TransactionTemplate joinTx,
            TransactionOperations newTx,
            DatabaseClock clock,
            ReadyQueue ready,
            AttemptRunner runner,
            Waiters waiters,
            StepResults results,
            EngineSettings settings,
            EngineListener listener,
            TraceContexts traces) {
        this.store = store;
        this.joinTx = joinTx;
        this.newTx = newTx;
        this.clock = clock;
        this.ready = ready;
        this.runner = runner;
        this.waiters = waiters;
        this.results = results;
        this.settings = settings;
        this.listener = listener;
        this.traces = traces;
    }

    /** Records root invocations in the caller's transaction; they become runnable when it commits. */
    List<DispatchId> dispatch(List<Captured> calls, DispatchOptions options) {
        Instant now = this.clock.now();
        Instant firstRun = options.firstRunAt(now);
        List<NewInvocation> rows = record(calls, this.joinTx, now, firstRun, options);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    rows.forEach(row -> RootCalls.this.ready.offerAt(row, firstRun));
                }
            });
        } else {
            rows.forEach(row -> this.ready.offerAt(row, firstRun));
        }
        return rows.stream().map(row -> DispatchId.of(row.id())).toList();
    }

    private List<NewInvocation> record(List<Captured> calls, TransactionOperations tx) {
        Instant now = this.clock.now();
        return record(calls, tx, now, now, DispatchOptions.none());
    }

    /** Records the calls; returns the rows recorded, or with an idempotency key the one recorded under it. */
    private List<NewInvocation> record(
            List<Captured> calls, TransactionOperations tx, Instant now, Instant firstRun, DispatchOptions options) {
        String idempotencyKey = options.idempotencyKey();
        String trace = calls.isEmpty() ? null : this.traces.capture("dispatch", calls.size());
        List<NewInvocation> rows = new ArrayList<>(calls.size());
        for (Captured call : calls) {
            String id = StepKeys.rootId();
            rows.add(CallRows.prioritized(
                    CallRows.root(
                            id,
                            call,
                            firstRun,
                            null,
                            null,
                            idempotencyKey,
                            trace,
                            Deadlines.ofRoot(call.function(), options, now)),
                    options));
        }
        if (idempotencyKey != null) {
            String existing = tx.execute(status -> this.store.insertIdempotent(rows.get(0), now));
            if (rows.get(0).id().equals(existing)) {
                Captured.announce(this.listener, calls);
            }
            return List.of(rows.get(0).withId(existing));
        }
        if (!rows.isEmpty()) {
            tx.executeWithoutResult(status -> this.store.insertInvocations(rows, now));
            Captured.announce(this.listener, calls);
        }
        return rows;
    }

    /** Runs a root invocation at once on this thread and waits for its outcome (bounded by the call timeout). */
    @Nullable
    Object callAndWait(Captured call) {
        FunctionDefinition function = call.function();
        String id = StepKeys.rootId();
        Instant now = this.clock.now();
        String trace = this.traces.capture("call", 1);
        // A call of a function with a concurrency limit waits for a slot like any other: never on the caller's thread.
        boolean inline = !function.runsQueued();
        NewInvocation row = CallRows.root(
                id,
                call,
                now,
                inline ? this.settings.nodeId() : null,
                inline ? now.plus(this.settings.leaseDuration()) : null,
                null,
                trace,
                Deadlines.ofRoot(function, DispatchOptions.none(), now));
        this.newTx.executeWithoutResult(status -> this.store.insertInvocations(List.of(row), now));
        Captured.announce(this.listener, List.of(call));
        CompletableFuture<AttemptResult> waiter = this.waiters.register(id);
        if (!inline) {
            this.ready.offer(row);
            return outcome(awaitLocal(id, function, waiter), id, function);
        }
        ClaimedInvocation claimed = new ClaimedInvocation(
                id,
                function.name(),
                call.json(),
                1,
                function.maxAttempts(),
                null,
                id,
                null,
                null,
                now,
                false,
                trace,
                row.deadlineAt(),
                0,
                0, // priority and turn: this hold never goes through a claim
                0);
        AttemptResult result = this.runner.runDetached(claimed);
        if (result.kind() == AttemptResult.Kind.SUCCEEDED) {
            this.waiters.forget(id);
            return result.value();
        }
        return outcome(
                (result.kind() != AttemptResult.Kind.FAILED) ? awaitLocal(id, function, waiter) : result, id, function);
    }

    /** The value of a finished root call, or its failure thrown; {@code null} result: it finished on another node. */
    private @Nullable Object outcome(@Nullable AttemptResult result, String id, FunctionDefinition function) {
        if (result == null) {
            // finished on another node: answer from the record
            return this.results.single(outcome(id));
        }
        if (result.kind() == AttemptResult.Kind.SUCCEEDED) {
            return result.value();
        }
        throw new CallFailedException(
                DispatchId.of(id),
                function.name(),
                result.status(),
                result.error() != null ? result.error().type() : null,
                result.error() != null ? result.error().message() : null,
                result.failure());
    }

    /** Waits for a local outcome, checking the record now and then in case another node finished it. */
    private @Nullable AttemptResult awaitLocal(
            String id, FunctionDefinition function, CompletableFuture<AttemptResult> waiter) {
        long deadline = System.nanoTime() + this.settings.callTimeout().toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AwaitTimeoutException(DispatchId.of(id), function.name(), this.settings.callTimeout());
                }
                try {
                    return waiter.get(
                            Math.min(left, this.settings.pollInterval().toNanos()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException ex) {
                    if (isTerminal(id)) {
                        return null;
                    }
                }
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AwaitTimeoutException(DispatchId.of(id), function.name(), this.settings.callTimeout());
        } catch (ExecutionException ex) {
            throw new IllegalStateException(ex.getCause());
        } finally {
            this.waiters.forget(id);
        }
    }

    /**
     * gather / any / race from outside any durable function: records the calls as roots and waits until the
     * operation is decided (bounded by the call timeout).
     */
    @Nullable
    Object awaitOutside(GroupKind kind, List<Captured> calls) {
        List<NewInvocation> rows = record(calls, this.newTx);
        this.ready.offerAll(rows);
        List<String> ids = rows.stream().map(NewInvocation::id).toList();
        long deadline = System.nanoTime() + this.settings.callTimeout().toNanos();
        // Poll how many have finished, not what they returned: the results are read once, when the step is decided.
        while (!isDecided(kind, ids)) {
            if (System.nanoTime() > deadline) {
                throw new AwaitTimeoutException(
                        DispatchId.of(ids.get(0)), calls.get(0).function().name(), this.settings.callTimeout());
            }
            sleep(OUTSIDE_POLL);
        }
        List<ChildOutcome> outcomes = this.store.findOutcomes(ids);
        String firstFailure = null;
        String winner = null;
        for (ChildOutcome outcome : outcomes) {
            boolean succeeded = InvocationStatus.SUCCEEDED.name().equals(outcome.status());
            boolean finished =
                    succeeded || InvocationStatus.valueOf(outcome.status()).isTerminal();
            if (succeeded) {
                winner = (winner == null) ? outcome.id() : winner;
            } else if (finished) {
                firstFailure = (firstFailure == null) ? outcome.id() : firstFailure;
                winner = (winner == null && kind == GroupKind.RACE) ? outcome.id() : winner;
            }
        }
        if ((kind == GroupKind.RACE || kind == GroupKind.ANY) && winner != null) {
            // several may have finished since the last look: the first to finish wins, not the first listed
            winner = this.store.firstFinished(ids, kind == GroupKind.ANY).orElse(winner);
        }
        return switch (kind) {
            case ANY -> this.results.any(outcomes, winner);
            case RACE -> this.results.race(outcomes, winner);
            case SETTLED -> this.results.settled(outcomes);
            default -> this.results.gather(outcomes, firstFailure);
        };
    }

    private boolean isDecided(GroupKind kind, List<String> ids) {
        int completed = 0;
        int failed = 0;
        for (Map.Entry<String, Integer> count : this.store.countStatuses(ids).entrySet()) {
            InvocationStatus status = InvocationStatus.valueOf(count.getKey());
            if (status == InvocationStatus.SUCCEEDED) {
                completed += count.getValue();
            } else if (status.isTerminal()) {
                failed += count.getValue();
            }
        }
        return kind.isDecided(ids.size(), completed, failed);
    }

    private boolean isTerminal(String id) {
        return this.store
                .findStatus(id)
                .map(s -> InvocationStatus.valueOf(s).isTerminal())
                .orElse(false);
    }

    private ChildOutcome outcome(String id) {
        return this.store.findOutcomes(List.of(id)).get(0);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for durable calls", ex);
        }
    }
}
