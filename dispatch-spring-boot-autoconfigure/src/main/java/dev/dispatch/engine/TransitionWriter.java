package dev.dispatch.engine;

import dev.dispatch.store.InvocationStore;
import dev.dispatch.store.Transition;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes the ends of attempts with group commit: the transitions handed in while a transaction is being written go
 * together into the next one, in one statement batch, and each caller's step is counted once per transaction for all
 * of its children in it. A busy node therefore commits once for many attempts, and a gather's step row is locked
 * once per batch instead of once per child. Nothing is acknowledged before it is durable: a transition's future
 * completes only after its transaction committed, and whoever waits on it (a local waiter, a woken parent, a retry)
 * hears of it then. Until then the attempt's lease, renewed by its node, keeps it from being run elsewhere.
 */
final class TransitionWriter {

    private static final Log logger = LogFactory.getLog(TransitionWriter.class);

    private static final int MAX_BATCH = 1000;

    /** Transitions handed in and not yet written, beyond which workers wait for the writer. */
    private static final int CAPACITY = 4 * MAX_BATCH;

    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();

    private final Semaphore capacity = new Semaphore(CAPACITY);

    private final InvocationStore store;

    private final TransactionTemplate tx;

    private final DatabaseClock clock;

    private final Thread thread;

    TransitionWriter(InvocationStore store, TransactionTemplate tx, DatabaseClock clock) {
        this.store = store;
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
        Pending pending = new Pending(transition);
        this.queue.add(pending);
        return pending.done;
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
                this.capacity.release(batch.size());
                writeAll(batch);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable ex) {
                if (batch.size() == 1) {
                    logger.warn("Could not record an attempt's end: " + ex);
                    batch.get(0).done.completeExceptionally(ex);
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
        batch.forEach(pending -> transitions.add(pending.transition));
        List<InvocationStore.Outcome> outcomes =
                this.tx.execute(status -> this.store.recordAll(transitions, this.clock.now()));
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).done.complete(outcomes.get(i));
        }
    }

    private void writeOne(Pending pending) {
        try {
            writeAll(List.of(pending));
        } catch (Throwable ex) {
            logger.warn("Could not record the end of "
                    + pending.transition.invocation().function() + " ["
                    + pending.transition.invocation().id() + "]: " + ex);
            pending.done.completeExceptionally(ex);
        }
    }

    private static final class Pending {

        final Transition transition;

        final CompletableFuture<InvocationStore.Outcome> done = new CompletableFuture<>();

        Pending(Transition transition) {
            this.transition = transition;
        }
    }
}
