package dev.dispatch.engine;

import dev.dispatch.store.InvocationStore;
import dev.dispatch.store.Transition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes the ends of attempts with group commit: the transitions that workers hand in while a transaction is being
 * written go together into the next one, so a busy node commits once for many attempts instead of once each. A worker
 * still waits until its own transition is committed, so nothing is acknowledged before it is durable. Transitions are
 * written in step order, so writers on several nodes lock steps' rows in the same order and cannot deadlock.
 */
final class TransitionWriter {

    private static final Log logger = LogFactory.getLog(TransitionWriter.class);

    private static final int MAX_BATCH = 256;

    private static final Comparator<Pending> STEP_ORDER = Comparator.comparing(
            pending -> pending.transition.invocation().groupId(), Comparator.nullsFirst(Comparator.naturalOrder()));

    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();

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

    /** Writes the transition and waits until it is committed. */
    InvocationStore.Outcome write(Transition transition) {
        Pending pending = new Pending(transition);
        this.queue.add(pending);
        try {
            return pending.done.join();
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
                batch.sort(STEP_ORDER);
                writeAll(batch);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable ex) {
                logger.warn("Could not record " + batch.size() + " attempt outcomes: " + ex);
                batch.forEach(pending -> pending.done.completeExceptionally(ex));
            } finally {
                batch.clear();
            }
        }
    }

    private void writeAll(List<Pending> batch) {
        List<InvocationStore.Outcome> outcomes = this.tx.execute(status -> {
            List<InvocationStore.Outcome> written = new ArrayList<>(batch.size());
            for (Pending pending : batch) {
                written.add(this.store.record(pending.transition, this.clock.now()));
            }
            return written;
        });
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).done.complete(outcomes.get(i));
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
