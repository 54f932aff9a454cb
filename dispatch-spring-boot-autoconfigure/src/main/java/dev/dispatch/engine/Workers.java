package dev.dispatch.engine;

import dev.dispatch.store.ClaimedInvocation;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The workers, {@code dispatch-worker-*} threads: each takes the next claimed call {@link WorkerAdmission} lets it
 * start and runs its attempt.
 */
final class Workers {

    /** Logs under the scheduler's name, as operators know its messages (docs/reliability.md). */
    private static final Log logger = LogFactory.getLog(Scheduler.class);

    /** How often a worker looks again whether it may start attempts while ends cannot be written. */
    private static final Duration HOLD_PAUSE = Duration.ofMillis(20);

    private final AttemptRunner runner;

    private final ConcurrencyLimits limits;

    private final EngineSettings settings;

    private final WorkerAdmission admission;

    private final BooleanSupplier running;

    /** Asks the claim loop to poll now. */
    private final Runnable pollNow;

    private final AtomicInteger busy = new AtomicInteger();

    private @Nullable ThreadPoolExecutor pool;

    Workers(
            AttemptRunner runner,
            ConcurrencyLimits limits,
            EngineSettings settings,
            WorkerAdmission admission,
            BooleanSupplier running,
            Runnable pollNow) {
        this.runner = runner;
        this.limits = limits;
        this.settings = settings;
        this.admission = admission;
        this.running = running;
        this.pollNow = pollNow;
    }

    void start() {
        int n = this.settings.workers();
        this.pool = new ThreadPoolExecutor(
                n,
                n,
                60,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                new CustomizableThreadFactory("dispatch-worker-"));
        for (int i = 0; i < n; i++) {
            this.pool.execute(this::work);
        }
    }

    /** Lets running attempts finish for up to {@code grace}, then interrupts them. */
    void stop(Duration grace) {
        ThreadPoolExecutor pool = this.pool;
        if (pool != null) {
            pool.shutdown();
            try {
                if (!pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    logger.warn("Attempts still running after the shutdown grace period; their leases will expire"
                            + " and another node will run them again");
                    pool.shutdownNow();
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Workers busy running attempts now. */
    int busy() {
        return this.busy.get();
    }

    /**
     * A worker: takes the next claimed call and runs its attempt. It is free again as soon as the attempt's code is
     * done; the end is written with others meanwhile, and the call keeps its place and its renewed lease until its end
     * is recorded.
     */
    private void work() {
        long wait = this.settings.pollInterval().toNanos();
        while (this.running.getAsBoolean()) {
            try {
                if (this.admission.isHeld()) {
                    Scheduler.pause(HOLD_PAUSE);
                    continue;
                }
                WorkerAdmission.Admitted next = this.admission.next(wait);
                if (next == null) {
                    continue;
                }
                runOnWorker(next.invocation(), next.placeReleased());
            } catch (InterruptedException ex) {
                if (!this.running.getAsBoolean()) {
                    return;
                }
            }
        }
    }

    private void runOnWorker(ClaimedInvocation invocation, boolean placeReleased) {
        String id = invocation.id();
        this.busy.incrementAndGet();
        long startedAt = System.nanoTime();
        try {
            // the attempt counts from here: a call claimed ahead that never got this far used none
            if (!this.runner.markStarted(invocation)) {
                logger.info(invocation.function() + " [" + id + "] is no longer held by this node (cancelled, or"
                        + " taken over) and is not started");
                ended(invocation, placeReleased);
                return;
            }
            this.runner.start(invocation).whenComplete((result, failure) -> {
                if (failure != null) {
                    this.admission.hold();
                }
                ended(invocation, placeReleased);
            });
        } catch (InterruptedException ex) {
            // stopping: the call keeps its lease until it expires and runs again, as any unstarted claimed call
            Thread.currentThread().interrupt();
            ended(invocation, placeReleased);
        } catch (Throwable ex) {
            ended(invocation, placeReleased);
            logger.error(
                    "Could not run or record " + invocation.function() + " [" + id
                            + "]; its lease will expire and it will run again",
                    ex);
        } finally {
            this.busy.decrementAndGet();
            this.admission.noteDuration(System.nanoTime() - startedAt);
        }
    }

    private void ended(ClaimedInvocation invocation, boolean placeReleased) {
        this.admission.ended(invocation, placeReleased);
        if (this.limits.isLimited(invocation.function())) {
            // a slot of a limited function is free: its calls left pending may go now
            this.pollNow.run();
        }
    }
}
