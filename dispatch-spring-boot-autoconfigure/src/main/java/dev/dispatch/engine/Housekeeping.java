package dev.dispatch.engine;

import dev.dispatch.Status;
import dev.dispatch.aop.FunctionDefinition;
import dev.dispatch.aop.FunctionRegistry;
import dev.dispatch.store.ClaimedInvocation;
import dev.dispatch.store.Claims;
import dev.dispatch.store.InvocationStore;
import dev.dispatch.store.Retention;
import dev.dispatch.store.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Housekeeping, on its own thread every poll interval whether or not workers are free: ends trees past their deadline,
 * recovers invocations whose node died (expired leases), wakes suspended parents whose step is decided (the backstop
 * for a lost wake-up), purges finished trees past their retention, and runs the schedules' ticks.
 */
final class Housekeeping {

    /** Logs under the scheduler's name, as operators know its warnings (docs/reliability.md). */
    private static final Log logger = LogFactory.getLog(Scheduler.class);

    private static final int HOUSEKEEPING_BATCH = 200;

    private static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);

    /** Longest one housekeeping round spends purging, so that lease recovery and wake-ups keep their pace. */
    private static final Duration PURGE_BUDGET = Duration.ofSeconds(5);

    private final InvocationStore store;

    private final Claims claims;

    private final Retention retention;

    private final TransactionTemplate tx;

    private final DatabaseClock clock;

    private final ReadyQueue ready;

    private final AttemptRunner runner;

    private final FunctionRegistry registry;

    private final Deadlines deadlines;

    private final EngineSettings settings;

    private final Heartbeat heartbeat;

    private final BooleanSupplier running;

    private volatile long nextPurgeNanos = System.nanoTime();

    private volatile @Nullable Instant lastPoll;

    private @Nullable ScheduledExecutorService housekeeper;

    /** What else runs on each housekeeping pass (the schedules' ticks). */
    private final List<Consumer<Instant>> tasks = new CopyOnWriteArrayList<>();

    /** Housekeeping and a test's clock move never interleave: a lease moved with the clock is never seen expired. */
    private final Object lock = new Object();

    Housekeeping(
            InvocationStore store,
            Claims claims,
            Retention retention,
            TransactionTemplate tx,
            DatabaseClock clock,
            ReadyQueue ready,
            AttemptRunner runner,
            FunctionRegistry registry,
            Deadlines deadlines,
            EngineSettings settings,
            Heartbeat heartbeat,
            BooleanSupplier running) {
        this.store = store;
        this.claims = claims;
        this.retention = retention;
        this.tx = tx;
        this.clock = clock;
        this.ready = ready;
        this.runner = runner;
        this.registry = registry;
        this.deadlines = deadlines;
        this.settings = settings;
        this.heartbeat = heartbeat;
        this.running = running;
    }

    void start() {
        CustomizableThreadFactory threads = new CustomizableThreadFactory("dispatch-housekeeping-");
        threads.setDaemon(true);
        ScheduledExecutorService housekeeper = Executors.newSingleThreadScheduledExecutor(threads);
        long poll = Math.max(1, this.settings.pollInterval().toMillis());
        housekeeper.scheduleWithFixedDelay(this::housekeeping, 0, poll, TimeUnit.MILLISECONDS);
        this.housekeeper = housekeeper;
    }

    void stop() {
        ScheduledExecutorService housekeeper = this.housekeeper;
        if (housekeeper != null) {
            housekeeper.shutdown();
        }
    }

    /** When housekeeping last ran against the database successfully, if ever. */
    @Nullable
    Instant lastPoll() {
        return this.lastPoll;
    }

    /** Runs {@code task} on every housekeeping pass, with the pass's time. */
    void add(Consumer<Instant> task) {
        this.tasks.add(task);
    }

    /**
     * Moves this node's clock forward: the leases of what runs here move with it, then housekeeping runs on the
     * caller's thread.
     */
    void advanceClock(Duration amount) {
        synchronized (this.lock) {
            this.clock.advance(amount);
            this.heartbeat.renewLeases();
            if (this.running.getAsBoolean()) {
                // on the caller's thread: what fell due (deadlines, schedules' ticks) is recorded when this returns
                housekeepNow();
            }
        }
    }

    private void housekeeping() {
        synchronized (this.lock) {
            housekeepNow();
        }
    }

    private void housekeepNow() {
        try {
            this.clock.resyncIfDue();
            Instant now = this.clock.now();
            this.deadlines.expireDue(now, HOUSEKEEPING_BATCH);
            for (ClaimedInvocation expired : this.claims.findExpiredLeases(now, HOUSEKEEPING_BATCH)) {
                recoverExpired(expired, now);
            }
            this.tx.execute(status -> this.store.decideAwaits(now, HOUSEKEEPING_BATCH));
            for (String[] parent : this.store.findWakeable(HOUSEKEEPING_BATCH)) {
                if (Boolean.TRUE.equals(this.tx.execute(status -> this.store.wake(parent[0], parent[1], now)))) {
                    logger.debug("Woke " + parent[0] + " whose awaited step is decided");
                    this.ready.offerFirst(parent[0]);
                }
            }
            purgeIfDue(now);
            this.tasks.forEach(task -> task.accept(now));
            this.lastPoll = Instant.now();
        } catch (RuntimeException ex) {
            logger.warn("Dispatch housekeeping could not reach the database; retrying in "
                    + this.settings.pollInterval().toMillis() + " ms: " + ex);
        }
    }

    /**
     * Once a minute, purges finished trees past their retention, batch after batch until nothing is due or the budget
     * is spent; with trees left, the next round comes at the next housekeeping instead of a minute later.
     */
    private void purgeIfDue(Instant now) {
        if (System.nanoTime() - this.nextPurgeNanos < 0) {
            return;
        }
        Retention.Purged purged = this.retention.purgeDue(now, PURGE_BUDGET, this.tx);
        this.nextPurgeNanos = System.nanoTime() + (purged.caughtUp() ? PURGE_INTERVAL.toNanos() : 0);
        if (purged.invocations() > 0) {
            logger.debug("Purged " + purged.trees() + " finished trees (" + purged.invocations()
                    + " invocations) past their retention" + (purged.caughtUp() ? "" : "; more are due"));
        }
    }

    /** An attempt whose node stopped renewing its lease failed: retry it, or fail it if it was the last. */
    private void recoverExpired(ClaimedInvocation expired, Instant now) {
        String owner = this.settings.nodeId();
        FunctionDefinition function = this.registry.byName(expired.function());
        boolean retry = expired.attempt() < expired.maxAttempts();
        Instant next = retry && function != null
                ? now.plus(RetrySchedule.backoffAfter(function, Math.max(1, expired.attempt())))
                : now;
        LeaseExpiredException failure = new LeaseExpiredException(expired.attempt());
        // the takeover bumps the row's version: the end is written under the new epoch
        Transition transition = new Transition(
                expired.withEpoch(expired.epoch() + 1),
                owner,
                retry ? Transition.Kind.RETRY : Transition.Kind.FAILED,
                null,
                OutcomeRecorder.errorRecord(failure, Status.TEMPORARY_ERROR),
                retry ? next : null);
        Boolean taken = this.tx.execute(
                status -> this.claims.takeOverExpired(expired, owner, now, now.plus(this.settings.leaseDuration())));
        if (!Boolean.TRUE.equals(taken)) {
            return;
        }
        logger.warn(expired.function() + " [" + expired.id() + "] attempt " + expired.attempt() + " lost its node; "
                + (retry ? "retrying" : "no attempts left, failing it"));
        if (this.runner.record(transition) && retry && function != null) {
            this.ready.offerAt(expired, next);
        }
    }
}
