package dev.dispatch.actuate;

import java.time.Duration;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A value read again at most once per time to live: health probes and summaries polled often, by many clients, cost
 * the database one read per period, as the backlog meters do. A failed read is not cached.
 */
final class ShortCache<T> {

    private final Duration timeToLive;

    private final Supplier<T> read;

    private volatile @Nullable T value;

    private volatile long readAt;

    ShortCache(Duration timeToLive, Supplier<T> read) {
        this.timeToLive = timeToLive;
        this.read = read;
    }

    T get() {
        T current = this.value;
        if (current != null && System.nanoTime() - this.readAt < this.timeToLive.toNanos()) {
            return current;
        }
        synchronized (this) {
            current = this.value;
            if (current != null && System.nanoTime() - this.readAt < this.timeToLive.toNanos()) {
                return current;
            }
            current = this.read.get();
            this.value = current;
            this.readAt = System.nanoTime();
            return current;
        }
    }
}
