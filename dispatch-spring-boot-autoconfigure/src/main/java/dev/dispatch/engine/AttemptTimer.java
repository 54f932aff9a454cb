package dev.dispatch.engine;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** Interrupts the attempt's thread once its time limit has passed. */
final class AttemptTimer {

    private final Thread thread = Thread.currentThread();

    private boolean stopped;

    private boolean fired;

    private @Nullable ScheduledFuture<?> future;

    static AttemptTimer start(ScheduledExecutorService timer, @Nullable Duration timeout) {
        AttemptTimer attemptTimer = new AttemptTimer();
        if (timeout != null && !timer.isShutdown()) {
            attemptTimer.future = timer.schedule(attemptTimer::fire, timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        return attemptTimer;
    }

    private synchronized void fire() {
        if (!this.stopped) {
            this.fired = true;
            this.thread.interrupt();
        }
    }

    synchronized void stop() {
        this.stopped = true;
        if (this.future != null) {
            this.future.cancel(false);
        }
        if (this.fired) {
            Thread.interrupted();
        }
    }

    synchronized boolean fired() {
        return this.fired;
    }
}
