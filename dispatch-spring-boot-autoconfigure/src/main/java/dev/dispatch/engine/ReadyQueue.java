package dev.dispatch.engine;

import dev.dispatch.store.ClaimedInvocation;
import dev.dispatch.store.NewInvocation;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Ids of invocations this node knows to be due: new calls it recorded, parents it woke, retries whose backoff ran
 * out. The low-latency path to the workers; the database poller is the backstop for everything else, so an id
 * dropped here (queue full, node stopped) is only late, never lost. Ids leave in the order claims take due calls
 * ({@code ClaimOrder}): higher priority first, then lower turn, then first come; woken parents before all.
 */
final class ReadyQueue {

    private static final Comparator<Ready> ORDER = ((Comparator<Ready>)
                    (a, b) -> Integer.compare(b.priority(), a.priority()))
            .thenComparingInt(Ready::turn)
            .thenComparingLong(Ready::sequence);

    private final int capacity;

    private final TreeSet<Ready> ids = new TreeSet<>(ORDER);

    private final ReentrantLock lock = new ReentrantLock();

    private final Condition notEmpty = this.lock.newCondition();

    /** Arrival order; woken parents count down from below zero to go before everything else. */
    private long nextSequence;

    private long nextFirst = -1;

    private final ScheduledExecutorService timer;

    private final DatabaseClock clock;

    ReadyQueue(int capacity, ScheduledExecutorService timer, DatabaseClock clock) {
        this.capacity = capacity;
        this.timer = timer;
        this.clock = clock;
    }

    /** An id of priority 0 and turn 0 (a marker, an operator's retry). */
    void offer(String id) {
        offer(id, 0, 0);
    }

    void offer(NewInvocation row) {
        offer(row.id(), row.priority(), row.turn());
    }

    void offer(ClaimedInvocation invocation) {
        offer(invocation.id(), invocation.priority(), invocation.turn());
    }

    /**
     * Offers an id ahead of the others: a parent woken because its calls are decided goes before new calls, so a
     * workflow finishes before the next one's fan-out is worked through.
     */
    void offerFirst(String id) {
        this.lock.lock();
        try {
            add(new Ready(id, Integer.MAX_VALUE, 0, this.nextFirst--));
        } finally {
            this.lock.unlock();
        }
    }

    void offerAll(Collection<NewInvocation> rows) {
        rows.forEach(this::offer);
    }

    /** Offers the row once the time has come. */
    void offerAt(NewInvocation row, Instant due) {
        offerAt(row.id(), row.priority(), row.turn(), due);
    }

    /** Offers the held invocation again once the time has come (a retry). */
    void offerAt(ClaimedInvocation invocation, Instant due) {
        offerAt(invocation.id(), invocation.priority(), invocation.turn(), due);
    }

    /** Offers the id once the time has come. */
    void offerAt(String id, Instant due) {
        offerAt(id, 0, 0, due);
    }

    private void offerAt(String id, int priority, int turn, Instant due) {
        Duration delay = Duration.between(this.clock.now(), due);
        if (delay.isNegative() || delay.isZero()) {
            offer(id, priority, turn);
        } else if (!this.timer.isShutdown()) {
            this.timer.schedule(() -> offer(id, priority, turn), delay.toMillis() + 1, TimeUnit.MILLISECONDS);
        }
    }

    private void offer(String id, int priority, int turn) {
        this.lock.lock();
        try {
            add(new Ready(id, priority, turn, this.nextSequence++));
        } finally {
            this.lock.unlock();
        }
    }

    /** Full: the id that would leave last makes room for one that goes before it, else the new one is dropped. */
    private void add(Ready ready) {
        if (this.ids.size() >= this.capacity) {
            if (this.ids.isEmpty() || ORDER.compare(ready, this.ids.last()) >= 0) {
                return;
            }
            this.ids.pollLast();
        }
        this.ids.add(ready);
        this.notEmpty.signal();
    }

    /** Moves up to {@code max} ids into {@code into}. */
    int drainTo(List<String> into, int max) {
        this.lock.lock();
        try {
            int moved = 0;
            while (moved < max && !this.ids.isEmpty()) {
                into.add(this.ids.pollFirst().id());
                moved++;
            }
            return moved;
        } finally {
            this.lock.unlock();
        }
    }

    /** Waits up to {@code timeout} for one id. */
    @Nullable
    String poll(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        this.lock.lockInterruptibly();
        try {
            while (this.ids.isEmpty()) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = this.notEmpty.awaitNanos(nanos);
            }
            return this.ids.pollFirst().id();
        } finally {
            this.lock.unlock();
        }
    }

    int size() {
        this.lock.lock();
        try {
            return this.ids.size();
        } finally {
            this.lock.unlock();
        }
    }

    /** An id waiting here, with what orders it. */
    private record Ready(String id, int priority, int turn, long sequence) {}
}
