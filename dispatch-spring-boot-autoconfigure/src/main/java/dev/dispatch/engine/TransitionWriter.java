package dev.dispatch.engine;

import dev.dispatch.store.ClaimedInvocation;
import dev.dispatch.store.Claims;
import dev.dispatch.store.InvocationStore;
import dev.dispatch.store.Transition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes the ends of attempts, and the marks that start them, with group commit: what is handed in while a transaction
 * is being written goes together into the next one, in one statement batch, and each caller's step is counted once
 * per transaction for all of its children in it. A busy node therefore commits once for many attempts, and a gather's
 * step row is locked once per batch instead of once per child. Nothing is acknowledged before it is durable: a
 * transition's future completes only after its transaction committed, and whoever waits on it (a local waiter, a
 * woken parent, a retry) hears of it then. Until then the attempt's lease, renewed by its node, keeps it from being
 * run elsewhere. A worker that marks a claimed call started waits for that commit before it runs the body, so the
 * attempt counts durably first; its mark shares the commit of the ends written meanwhile (the worker's own last end
 * among them) instead of taking one of its own.
 */
final class TransitionWriter {

    private static final Log logger = LogFactory.getLog(TransitionWriter.class);

    private static final int MAX_BATCH = 1000;

    /** Transitions handed in and not yet written, beyond which workers wait for the writer. */
    private static final int CAPACITY = 4 * MAX_BATCH;

    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();

    private final Semaphore capacity = new Semaphore(CAPACITY);

    private final InvocationStore store;

    private final Claims claims;

    private final TransactionTemplate tx;

    private final DatabaseClock clock;

    private final Thread thread;

    TransitionWriter(InvocationStore store, Claims claims, TransactionTemplate tx, DatabaseClock clock) {
        this.store = store;
        this.claims = claims;
        this.tx = tx;
        this.clock = clock;
        CustomizableThreadFactory threads = new CustomizableThreadFactory("dispatch-writer-");
        threads.setDaemon(true);
        this.thread = threads.newThread(this::run);
        this.thread.start();
    }

    /** Stops the writer thread once the engine is done. */
    void stop() {
        this.thread.interrupt();
    }

    /**
     * Hands the transition to the writer. The future completes once it is committed (or exceptionally if it could not
     * be), on the writer's thread: what depends on it must be quick.
     */
    CompletableFuture<InvocationStore.Outcome> submit(Transition transition) {
        this.capacity.acquireUninterruptibly();
        Pending pending = new Pending(transition, null);
        this.queue.add(pending);
        return pending.ended;
    }

    /**
     * Marks a claimed call started ({@link Claims#start}) in the next transaction and waits until it committed.
     *
     * @return whether this node still holds it (not cancelled or taken over meanwhile): run it only then
     */
    boolean start(ClaimedInvocation invocation) throws InterruptedException {
        Pending pending = new Pending(null, invocation);
        this.queue.add(pending);
        try {
            return pending.started.get();
        } catch (ExecutionException ex) {
            throw (ex.getCause() instanceof RuntimeException runtime)
                    ? runtime
                    : new IllegalStateException(ex.getCause());
        }
    }

    /** Writes the transition and waits until it is committed. */
    InvocationStore.Outcome write(Transition transition) {
        try {
            return submit(transition).join();
        } catch (CompletionException ex) {
            throw (ex.getCause() instanceof RuntimeException runtime) ? runtime : ex;
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (true) {
            try {
                batch.add(this.queue.take());
                this.queue.drainTo(batch, MAX_BATCH - 1);
                int ends = 0;
                for (Pending pending : batch) {
                    ends += (pending.transition != null) ? 1 : 0;
                }
                this.capacity.release(ends);
                writeAll(batch);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable ex) {
                if (batch.size() == 1) {
                    logger.warn("Could not record " + batch.get(0).what() + ": " + ex);
                    batch.get(0).fail(ex);
                } else {
                    // One bad row must not cost the others their record: write them one by one.
                    logger.debug("Could not record " + batch.size() + " attempt ends together, writing them one by"
                            + " one: " + ex);
                    for (Pending pending : batch) {
                        writeOne(pending);
                    }
                }
            } finally {
                batch.clear();
            }
        }
    }

    private void writeAll(List<Pending> batch) {
        List<Transition> transitions = new ArrayList<>(batch.size());
        List<ClaimedInvocation> starts = new ArrayList<>();
        for (Pending pending : batch) {
            if (pending.transition != null) {
                transitions.add(pending.transition);
            } else {
                starts.add(pending.start);
            }
        }
        List<Boolean> started = new ArrayList<>(starts.size());
        // again, whole, if the database rolled it back as the loser of a deadlock
        List<InvocationStore.Outcome> outcomes = LockConflicts.retrying(() -> this.tx.execute(status -> {
            started.clear();
            if (!starts.isEmpty()) {
                started.addAll(this.claims.startAll(starts, this.clock.now()));
            }
            return transitions.isEmpty() ? List.of() : this.store.recordAll(transitions, this.clock.now());
        }));
        int t = 0;
        int s = 0;
        for (Pending pending : batch) {
            if (pending.transition != null) {
                pending.ended.complete(outcomes.get(t++));
            } else {
                pending.started.complete(started.get(s++));
            }
        }
    }

    private void writeOne(Pending pending) {
        try {
            writeAll(List.of(pending));
        } catch (Throwable ex) {
            logger.warn("Could not record " + pending.what() + ": " + ex);
            pending.fail(ex);
        }
    }

    /** An attempt's end to record, or a claimed call to mark started. */
    private static final class Pending {

        final @Nullable Transition transition;

        final @Nullable ClaimedInvocation start;

        /** The end's outcome, once committed (for an end). */
        final CompletableFuture<InvocationStore.Outcome> ended = new CompletableFuture<>();

        /** Whether the start mark applied, once committed (for a start). */
        final CompletableFuture<Boolean> started = new CompletableFuture<>();

        Pending(@Nullable Transition transition, @Nullable ClaimedInvocation start) {
            this.transition = transition;
            this.start = start;
        }

        void fail(Throwable ex) {
            ((this.transition != null) ? this.ended : this.started).completeExceptionally(ex);
        }

        String what() {
            ClaimedInvocation invocation = (this.transition != null)
                    ? this.transition.invocation()
                    : Objects.requireNonNull(this.start, "a pending write is an end or a start");
            return ((this.transition != null) ? "the end of " : "the start of ") + invocation.function() + " ["
                    + invocation.id() + "]";
        }
    }
}
