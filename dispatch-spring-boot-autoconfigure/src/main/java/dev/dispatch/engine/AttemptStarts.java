package dev.dispatch.engine;

import dev.dispatch.store.ClaimedInvocation;
import dev.dispatch.store.Claims;
import java.util.ArrayList;
import java.util.List;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Marks claimed calls started, each before its body runs, in shared transactions: the workers that start calls at the
 * same moment wait for one commit instead of one each (group commit). The first worker to arrive writes what is queued
 * and wakes the others; whoever arrives while it writes queues for the next transaction, which the first of them
 * writes. A worker's call is started only once the transaction holding its mark committed, so an attempt is counted
 * durably before its body runs, as with a transaction of its own.
 */
final class AttemptStarts {

    private final Claims claims;

    private final TransactionTemplate tx;

    private final DatabaseClock clock;

    private final Object lock = new Object();

    private List<Start> queued = new ArrayList<>();

    private boolean writing;

    AttemptStarts(Claims claims, TransactionTemplate tx, DatabaseClock clock) {
        this.claims = claims;
        this.tx = tx;
        this.clock = clock;
    }

    /**
     * Marks the call started once its mark committed.
     *
     * @return whether this node still holds it (not cancelled or taken over meanwhile): run it only then
     */
    boolean start(ClaimedInvocation invocation) throws InterruptedException {
        Start mine = new Start(invocation);
        List<Start> batch;
        synchronized (this.lock) {
            this.queued.add(mine);
            while (this.writing && !mine.done) {
                this.lock.wait();
            }
            if (mine.done) {
                if (mine.failure != null) {
                    // the shared transaction failed: each of its workers reports it as its own start would have
                    throw mine.failure;
                }
                return mine.started;
            }
            this.writing = true;
            batch = this.queued;
            this.queued = new ArrayList<>();
        }
        try {
            write(batch);
        } finally {
            synchronized (this.lock) {
                this.writing = false;
                this.lock.notifyAll();
            }
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.started;
    }

    private void write(List<Start> batch) {
        List<ClaimedInvocation> invocations = new ArrayList<>(batch.size());
        batch.forEach(start -> invocations.add(start.invocation));
        RuntimeException failure = null;
        List<Boolean> started = List.of();
        try {
            started = this.tx.execute(status -> this.claims.startAll(invocations, this.clock.now()));
        } catch (RuntimeException ex) {
            failure = ex;
        }
        synchronized (this.lock) {
            for (int i = 0; i < batch.size(); i++) {
                Start start = batch.get(i);
                start.started = failure == null && started != null && Boolean.TRUE.equals(started.get(i));
                start.failure = failure;
                start.done = true;
            }
        }
    }

    /** One worker's call waiting for its mark. */
    private static final class Start {

        final ClaimedInvocation invocation;

        boolean done;

        boolean started;

        RuntimeException failure;

        Start(ClaimedInvocation invocation) {
            this.invocation = invocation;
        }
    }
}
