package dev.dispatch.engine;

import dev.dispatch.AwaitTimeoutException;
import dev.dispatch.DispatchId;
import dev.dispatch.InvocationInfo;
import dev.dispatch.InvocationStatus;
import dev.dispatch.Status;
import dev.dispatch.store.ChildOutcome;
import dev.dispatch.store.Invocation;
import dev.dispatch.store.InvocationStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the {@link dev.dispatch.Dispatcher} does with an invocation by its id, from anywhere: describe it, read its
 * result, wait until it ends, cancel its tree, retry it once it failed.
 */
final class DispatchedInvocations {

    private final InvocationStore store;

    private final TransactionTemplate newTx;

    private final DatabaseClock clock;

    private final ReadyQueue ready;

    private final AttemptRunner runner;

    private final Waiters waiters;

    private final StepResults results;

    private final EngineSettings settings;

    DispatchedInvocations(
            InvocationStore store,
            TransactionTemplate newTx,
            DatabaseClock clock,
            ReadyQueue ready,
            AttemptRunner runner,
            Waiters waiters,
            StepResults results,
            EngineSettings settings) {
        this.store = store;
        this.newTx = newTx;
        this.clock = clock;
        this.ready = ready;
        this.runner = runner;
        this.waiters = waiters;
        this.results = results;
        this.settings = settings;
    }

    int cancel(DispatchId id) {
        InvocationStore.Cancellation cancellation = LockConflicts.retrying(
                () -> this.newTx.execute(status -> this.store.trees().cancelTree(id.value(), this.clock.now())));
        if (cancellation == null) {
            return 0;
        }
        cancellation.cancelled().forEach(this.runner::interrupt);
        String woken = cancellation.wokenParentId();
        if (woken != null) {
            this.ready.offerFirst(woken);
        }
        return cancellation.cancelled().size();
    }

    boolean retry(DispatchId id) {
        boolean retried = Boolean.TRUE.equals(LockConflicts.retrying(
                () -> this.newTx.execute(status -> this.store.trees().retryFailed(id.value(), this.clock.now()))));
        if (retried) {
            this.ready.offer(id.value());
        }
        return retried;
    }

    Optional<InvocationInfo> describe(DispatchId id) {
        return this.store.find(id.value()).map(DispatchedInvocations::info);
    }

    @SuppressWarnings("unchecked")
    <T> Optional<T> result(DispatchId id) {
        List<ChildOutcome> outcomes = this.store.findOutcomes(List.of(id.value()));
        if (outcomes.isEmpty()) {
            throw new IllegalArgumentException("There is no invocation " + id);
        }
        ChildOutcome outcome = outcomes.get(0);
        return InvocationStatus.SUCCEEDED.name().equals(outcome.status())
                ? Optional.ofNullable((T) this.results.single(outcome))
                : Optional.empty();
    }

    InvocationInfo awaitCompletion(DispatchId id, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        CompletableFuture<AttemptResult> local = this.waiters.register(id.value());
        try {
            return awaitTerminal(id, timeout, deadline, local);
        } finally {
            this.waiters.forget(id.value());
        }
    }

    private InvocationInfo awaitTerminal(
            DispatchId id, Duration timeout, long deadline, CompletableFuture<AttemptResult> local) {
        while (true) {
            InvocationInfo info =
                    describe(id).orElseThrow(() -> new IllegalArgumentException("There is no invocation " + id));
            long left = deadline - System.nanoTime();
            if (info.status().isTerminal()) {
                return info;
            }
            if (left <= 0) {
                throw new AwaitTimeoutException(id, info.function(), timeout);
            }
            try {
                local.get(Math.min(left, this.settings.pollInterval().toNanos()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException ex) {
                // look at the record again
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new AwaitTimeoutException(id, info.function(), timeout);
            }
        }
    }

    private static InvocationInfo info(Invocation invocation) {
        String parentId = invocation.getParentId();
        String errorStatus = invocation.getErrorStatus();
        return new InvocationInfo(
                DispatchId.of(invocation.getId()),
                invocation.getFunctionName(),
                InvocationStatus.valueOf(invocation.getStatus()),
                invocation.getAttempts(),
                parentId != null ? DispatchId.of(parentId) : null,
                DispatchId.of(invocation.getRootId()),
                invocation.getErrorType(),
                invocation.getErrorMessage(),
                errorStatus != null ? Status.valueOf(errorStatus) : null,
                invocation.getCreatedAt(),
                invocation.getUpdatedAt(),
                invocation.getCompletedAt(),
                invocation.getDeadlineAt());
    }
}
