package dev.dispatch.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Ids of invocations this node knows to be due: new calls it recorded, parents it woke, retries whose backoff ran
 * out. The low-latency path to the workers; the database poller is the backstop for everything else, so an id
 * dropped here (queue full, node stopped) is only late, never lost.
 */
final class ReadyQueue {

    private final LinkedBlockingDeque<String> ids;

    private final ScheduledExecutorService timer;

    private final DatabaseClock clock;

    ReadyQueue(int capacity, ScheduledExecutorService timer, DatabaseClock clock) {
        this.ids = new LinkedBlockingDeque<>(capacity);
        this.timer = timer;
        this.clock = clock;
    }

    void offer(String id) {
        this.ids.offer(id);
    }

    /**
     * Offers an id ahead of the others: a parent woken because its calls are decided goes before new calls, so a
     * workflow finishes before the next one's fan-out is worked through.
     */
    void offerFirst(String id) {
        this.ids.offerFirst(id);
    }

    void offerAll(Collection<String> ids) {
        for (String id : ids) {
            if (!this.ids.offer(id)) {
                return;
            }
        }
    }

    /** Offers the id once the time has come. */
    void offerAt(String id, Instant due) {
        Duration delay = Duration.between(this.clock.now(), due);
        if (delay.isNegative() || delay.isZero()) {
            offer(id);
        } else if (!this.timer.isShutdown()) {
            this.timer.schedule(() -> offer(id), delay.toMillis() + 1, TimeUnit.MILLISECONDS);
        }
    }

    /** Moves up to {@code max} ids into {@code into}. */
    int drainTo(List<String> into, int max) {
        return this.ids.drainTo(into, max);
    }

    /** Waits up to {@code timeout} for one id. */
    @Nullable
    String poll(Duration timeout) throws InterruptedException {
        return this.ids.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    int size() {
        return this.ids.size();
    }
}
