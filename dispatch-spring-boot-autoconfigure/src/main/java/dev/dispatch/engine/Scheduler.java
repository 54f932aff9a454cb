package dev.dispatch.engine;

import dev.dispatch.Status;
import dev.dispatch.aop.FunctionDefinition;
import dev.dispatch.aop.FunctionRegistry;
import dev.dispatch.store.ClaimOrder;
import dev.dispatch.store.ClaimedInvocation;
import dev.dispatch.store.Claims;
import dev.dispatch.store.InvocationStore;
import dev.dispatch.store.ReadySignals;
import dev.dispatch.store.Retention;
import dev.dispatch.store.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Feeds the workers: takes due ids from the local ready queue, or from the database when the queue runs dry and the
 * poll interval has passed, claims them in one batch for as many workers as are free plus a few ahead (so that a
 * worker that finishes finds its next call claimed already), and runs each on a worker.
 * Each poll also recovers invocations whose node died (expired leases) and wakes suspended parents whose step is
 * decided (the backstop for a lost wake-up). A heartbeat renews the leases of what runs here.
 */
public final class Scheduler implements SmartLifecycle {

    private static final Log logger = LogFactory.getLog(Scheduler.class);

    private static final int HOUSEKEEPING_BATCH = 200;

    private static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);

    /** Longest one housekeeping round spends purging, so that lease recovery and wake-ups keep their pace. */
    private static final Duration PURGE_BUDGET = Duration.ofSeconds(5);

    /** How often a worker looks again whether it may start attempts while ends cannot be written. */
    private static final Duration HOLD_PAUSE = Duration.ofMillis(20);

    /** Attempts shorter than this let a node claim ahead of its free workers. */
    private static final Duration QUICK_ATTEMPT = Duration.ofMillis(50);

    /** How long a claim waits at most for more places to come free while workers have enough to start. */
    private static final Duration ROUND_LINGER = Duration.ofMillis(2);

    /** Not an id: wakes the loop to poll now. */
    private static final String POLL_NOW = "";

    private final InvocationStore store;

    private final Claims claims;

    private final Retention retention;

    private volatile long nextPurgeNanos = System.nanoTime();

    private final ReadySignals signals;

    private volatile boolean pollRequested;

    private final TransactionTemplate tx;

    private final DatabaseClock clock;

    private final ReadyQueue ready;

    private final AttemptRunner runner;

    private final FunctionRegistry registry;

    private final Deadlines deadlines;

    private final ConcurrencyLimits limits;

    private final EngineSettings settings;

    private final ScheduledExecutorService timer;

    /**
     * Places for claimed invocations: one per worker plus the claim-ahead (of which the claim-ahead is reserved while
     * attempts are slow). A claimed invocation holds one from its claim until a worker starts it while attempts are
     * quick, so that the next claim need not wait for the ends of the last to be written; while attempts are slow,
     * until its end is recorded, so that a node never claims more than its workers can start.
     */
    private final Semaphore freeWorkers;

    /**
     * Places for attempts that ran and whose end is not recorded yet: one per worker plus the claim-ahead. A worker
     * takes one before it starts an attempt, and the attempt gives it back once its end is recorded, so at most
     * {@code workers + claimAhead} attempts that ran are ever unrecorded (what a fault can make run again) while
     * workers do not wait for the writes themselves; with {@code dispatch.claim-ahead=0}, at most one per worker.
     */
    private final Semaphore unrecorded;

    /** Claimed invocations waiting for a worker, oldest first. */
    private final LinkedBlockingDeque<Waiting> waiting = new LinkedBlockingDeque<>();

    /** Claim-ahead places the scheduler keeps out of use while attempts are slow (only it changes this). */
    private int reserved;

    /** Whether attempts end quickly enough to claim ahead of free workers. */
    private volatile boolean claimingAhead;

    /** Attempts in a row that ended quickly; claiming ahead resumes after {@code workers} of them. */
    private final AtomicInteger quickInARow = new AtomicInteger();

    private final AtomicInteger busy = new AtomicInteger();

    /**
     * Set when an attempt's end could not be written (the database is unreachable?): workers start nothing more, or
     * every claimed call would run and then run again once the database is back. Cleared by the next claim or
     * hand-back that reaches the database.
     */
    private volatile boolean holdWork;

    /** Invocations claimed here and handed to a worker, until their attempt ends, with the epochs of their claims. */
    private final Map<String, Long> claimedHere = new ConcurrentHashMap<>();

    private volatile boolean running;

    private volatile boolean stopping;

    private volatile @Nullable Instant lastPoll;

    private @Nullable Thread loop;

    private @Nullable ThreadPoolExecutor workers;

    private @Nullable ScheduledFuture<?> heartbeat;

    private @Nullable ScheduledExecutorService housekeeper;

    /** What else runs on each housekeeping pass (the schedules' ticks). */
    private final List<Consumer<Instant>> housekeepingTasks = new CopyOnWriteArrayList<>();

    /** Housekeeping and a test's clock move never interleave: a lease moved with the clock is never seen expired. */
    private final Object housekeepingLock = new Object();

    Scheduler(
            InvocationStore store,
            Claims claims,
            Retention retention,
            ReadySignals signals,
            TransactionTemplate tx,
            DatabaseClock clock,
            ReadyQueue ready,
            AttemptRunner runner,
            FunctionRegistry registry,
            EngineSettings settings,
            ScheduledExecutorService timer,
            ConcurrencyLimits limits,
            Deadlines deadlines) {
        this.store = store;
        this.claims = claims;
        this.retention = retention;
        this.signals = signals;
        this.tx = tx;
        this.clock = clock;
        this.ready = ready;
        this.runner = runner;
        this.registry = registry;
        this.deadlines = deadlines;
        this.limits = limits;
        this.settings = settings;
        this.timer = timer;
        this.freeWorkers = new Semaphore(settings.workers() + settings.claimAhead());
        this.unrecorded = new Semaphore(settings.workers() + settings.claimAhead());
        // Start without claiming ahead, until attempts show they are quick.
        this.reserved = settings.claimAhead();
        this.freeWorkers.acquireUninterruptibly(this.reserved);
    }

    @Override
    public synchronized void start() {
        if (this.running) {
            return;
        }
        this.running = true;
        int n = this.settings.workers();
        this.workers = new ThreadPoolExecutor(
                n,
                n,
                60,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                new CustomizableThreadFactory("dispatch-worker-"));
        for (int i = 0; i < n; i++) {
            this.workers.execute(this::work);
        }
        long beat = Math.max(100, this.settings.leaseDuration().toMillis() / 3);
        this.heartbeat = this.timer.scheduleWithFixedDelay(this::renewLeases, beat, beat, TimeUnit.MILLISECONDS);
        CustomizableThreadFactory housekeeping = new CustomizableThreadFactory("dispatch-housekeeping-");
        housekeeping.setDaemon(true);
        ScheduledExecutorService housekeeper = Executors.newSingleThreadScheduledExecutor(housekeeping);
        long poll = Math.max(1, this.settings.pollInterval().toMillis());
        housekeeper.scheduleWithFixedDelay(this::housekeeping, 0, poll, TimeUnit.MILLISECONDS);
        this.housekeeper = housekeeper;
        this.signals.start(this::pollNow);
        Thread thread = new Thread(this::run, "dispatch-scheduler");
        thread.setDaemon(true);
        this.loop = thread;
        thread.start();
        logger.info("Dispatch scheduler started on node " + this.settings.nodeId() + " with " + n + " workers and "
                + this.registry.names().size() + " functions");
    }

    @Override
    public synchronized void stop() {
        if (!this.running) {
            return;
        }
        this.stopping = true;
        this.running = false;
        this.signals.stop();
        ScheduledExecutorService housekeeper = this.housekeeper;
        if (housekeeper != null) {
            housekeeper.shutdown();
        }
        Thread thread = this.loop;
        if (thread != null) {
            this.ready.offer(POLL_NOW);
            try {
                thread.join(this.settings.shutdownGracePeriod().toMillis());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        handBack(this.waiting.size());
        ThreadPoolExecutor pool = this.workers;
        if (pool != null) {
            pool.shutdown();
            try {
                if (!pool.awaitTermination(this.settings.shutdownGracePeriod().toMillis(), TimeUnit.MILLISECONDS)) {
                    logger.warn("Attempts still running after the shutdown grace period; their leases will expire"
                            + " and another node will run them again");
                    pool.shutdownNow();
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        // Attempts that ended are recorded before the heartbeat stops renewing their leases.
        long deadline = System.nanoTime() + this.settings.shutdownGracePeriod().toNanos();
        while (!this.claimedHere.isEmpty() && System.nanoTime() - deadline < 0) {
            pause(Duration.ofMillis(10));
        }
        ScheduledFuture<?> beat = this.heartbeat;
        if (beat != null) {
            beat.cancel(false);
        }
        this.stopping = false;
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    /** Workers busy running attempts now. */
    public int busyWorkers() {
        return this.busy.get();
    }

    /** Ids waiting in the local ready queue. */
    public int queueDepth() {
        return this.ready.size();
    }

    /** Whether the scheduler is stopping: no new claims, running attempts finishing. */
    public boolean isStopping() {
        return this.stopping;
    }

    /** This node's name in leases. */
    public String nodeId() {
        return this.settings.nodeId();
    }

    /** Number of workers. */
    public int workers() {
        return this.settings.workers();
    }

    /** How often housekeeping (lease recovery, wake-up sweep) is meant to run. */
    public Duration pollInterval() {
        return this.settings.pollInterval();
    }

    /** When housekeeping last ran against the database successfully, if ever. */
    public @Nullable Instant lastPoll() {
        return this.lastPoll;
    }

    /** Runs {@code task} on every housekeeping pass, with the pass's time. */
    void onHousekeeping(Consumer<Instant> task) {
        this.housekeepingTasks.add(task);
    }

    /** The time this node goes by: the database's clock, plus whatever a test moved it by. */
    public Instant clockNow() {
        return this.clock.now();
    }

    /**
     * Moves this node's clock forward (the test kit's {@code DispatchTester.advanceClock}): the leases of what runs here
     * move with it, then housekeeping runs on the caller's thread and a poll is asked for, so whatever fell due starts
     * without waiting.
     */
    public void advanceClock(Duration amount) {
        synchronized (this.housekeepingLock) {
            this.clock.advance(amount);
            renewLeases();
            if (this.running) {
                // on the caller's thread: what fell due (deadlines, schedules' ticks) is recorded when this returns
                housekeepNow();
            }
        }
        pollNow();
    }

    /** Asks the scheduler to poll the database now: another node announced due work. */
    void pollNow() {
        this.pollRequested = true;
        this.ready.offer(POLL_NOW);
    }

    private void run() {
        long nextPoll = System.nanoTime();
        long nextBackstop = nextPoll;
        String carried = null;
        while (this.running) {
            int held = 0;
            try {
                adjustClaimAhead();
                // Wait for a free worker without being interrupted: an interrupt during a JDBC call can close an H2
                // file database, so stop() wakes this loop with a marker and the flag instead.
                if (!this.freeWorkers.tryAcquire(this.settings.pollInterval().toNanos(), TimeUnit.NANOSECONDS)) {
                    handBackStale();
                    continue;
                }
                held = 1 + this.freeWorkers.drainPermits();
                held += fillRound(held);
                Set<String> ids = new LinkedHashSet<>();
                if (carried != null) {
                    ids.add(carried);
                    carried = null;
                }
                // The database is asked for due work when the local queue ran dry: while it holds ids, they are
                // what is due here, and the poller would only race the queue for the same rows. Once a poll interval
                // without asking, though, a round goes to the database's own order instead of the queue's: a due call
                // the queue does not hold (its offer was dropped, another node recorded it, it was handed back)
                // starts within a poll interval, not after everything the queue holds (a 100,000-call fan-out).
                boolean backstop = System.nanoTime() - nextBackstop >= 0;
                if (!backstop) {
                    drain(ids, held);
                }
                boolean ranDry = ids.size() < held;
                List<ClaimedInvocation> claimed = new ArrayList<>(claim(ids));
                if (ranDry
                        && claimed.size() < held
                        && (backstop || this.pollRequested || System.nanoTime() - nextPoll >= 0)) {
                    this.pollRequested = false;
                    int wanted = held - claimed.size();
                    List<ClaimedInvocation> due = claimDue(wanted);
                    claimed.addAll(due);
                    nextPoll = System.nanoTime() + this.settings.pollInterval().toNanos();
                    nextBackstop = nextPoll;
                    if (due.size() >= wanted) {
                        // A full claim: more is due than this node could take (a backlog another node recorded).
                        // Claim again as soon as a worker frees up, not at the next poll, or this node would take
                        // at most `workers` calls of it per poll interval however short they are.
                        this.pollRequested = true;
                    }
                }
                claimed.sort(ClaimOrder.CLAIMED);
                this.freeWorkers.release(held - claimed.size());
                held = 0;
                long now = System.nanoTime();
                for (ClaimedInvocation invocation : claimed) {
                    this.claimedHere.put(invocation.id(), invocation.epoch());
                    this.waiting.add(new Waiting(invocation, now));
                }
                handBackStale();
                if (claimed.isEmpty()) {
                    String id = this.ready.poll(Duration.ofNanos(Math.max(1, nextPoll - System.nanoTime())));
                    carried = POLL_NOW.equals(id) ? null : id;
                }
            } catch (InterruptedException ex) {
                this.freeWorkers.release(held);
                if (!this.running) {
                    return;
                }
            } catch (RuntimeException ex) {
                this.freeWorkers.release(held);
                handBackStale();
                logger.warn("Dispatch scheduler could not claim work (is the database reachable?); retrying in "
                        + this.settings.pollInterval().toMillis() + " ms: " + ex);
                nextPoll = System.nanoTime() + this.settings.pollInterval().toNanos();
                pause(this.settings.pollInterval());
            }
        }
    }

    /**
     * While attempts are quick and workers still have claimed calls to start, waits a moment for more places to come
     * free, so that a claim takes a full round instead of the one or two places a worker just freed.
     */
    private int fillRound(int held) throws InterruptedException {
        if (!this.claimingAhead) {
            return 0;
        }
        int places = this.settings.workers() + this.settings.claimAhead();
        int more = 0;
        long until = System.nanoTime() + ROUND_LINGER.toNanos();
        while (held + more < places / 2
                && this.waiting.size() > this.settings.workers()
                && System.nanoTime() - until < 0) {
            if (this.freeWorkers.tryAcquire(100, TimeUnit.MICROSECONDS)) {
                more += 1 + this.freeWorkers.drainPermits();
            }
        }
        return more;
    }

    private void drain(Set<String> into, int max) {
        List<String> drained = new ArrayList<>();
        this.ready.drainTo(drained, Math.max(0, max - into.size()));
        for (String id : drained) {
            if (!POLL_NOW.equals(id)) {
                into.add(id);
            }
        }
    }

    private List<ClaimedInvocation> claim(Set<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Instant now = this.clock.now();
        List<ClaimedInvocation> claimed = this.tx.execute(status -> this.claims.claim(
                ids, this.settings.nodeId(), now, now.plus(this.settings.leaseDuration()), this.limits.forClaims()));
        this.holdWork = false;
        return runnable(claimed, now);
    }

    private List<ClaimedInvocation> claimDue(int limit) {
        Instant now = this.clock.now();
        List<ClaimedInvocation> claimed = this.tx.execute(status -> this.claims.claimDue(
                now,
                this.registry.names(),
                limit,
                this.settings.nodeId(),
                now.plus(this.settings.leaseDuration()),
                this.limits.forClaims()));
        this.holdWork = false;
        return runnable(claimed, now);
    }

    private List<ClaimedInvocation> runnable(List<ClaimedInvocation> claimed, Instant now) {
        List<ClaimedInvocation> runnable = new ArrayList<>(claimed.size());
        for (ClaimedInvocation invocation : claimed) {
            if (this.registry.byName(invocation.function()) != null) {
                runnable.add(invocation);
            } else {
                // woken here but runnable only elsewhere (a rolling deploy): hand it back to the nodes that have it
                this.claims.release(invocation, this.settings.nodeId(), now);
            }
        }
        return runnable;
    }

    /**
     * Claims ahead of free workers only while attempts end quickly: a claimed call that waits for a worker cannot be
     * taken by another node, so with slow or stuck attempts a node claims only for its free workers.
     */
    private void adjustClaimAhead() {
        if (this.claimingAhead && this.reserved > 0) {
            this.freeWorkers.release(this.reserved);
            this.reserved = 0;
        } else if (!this.claimingAhead && this.reserved < this.settings.claimAhead()) {
            int taken = 0;
            while (this.reserved + taken < this.settings.claimAhead() && this.freeWorkers.tryAcquire()) {
                taken++;
            }
            this.reserved += taken;
        }
    }

    /**
     * Hands back claimed calls that waited for a worker longer than the poll interval (every worker is busy with
     * something slow): pending again, for whichever node has a free worker first (this one offers them to itself again).
     */
    private void handBackStale() {
        long limit = System.nanoTime() - this.settings.pollInterval().toNanos();
        Waiting oldest = this.waiting.peekFirst();
        if (oldest != null && oldest.since() - limit < 0) {
            this.claimingAhead = false;
            this.quickInARow.set(0);
            int stale = 0;
            for (Waiting w : this.waiting) {
                if (w.since() - limit < 0) {
                    stale++;
                }
            }
            handBack(stale);
        }
    }

    /** Hands back up to {@code count} of the oldest claimed calls that wait for a worker. */
    private void handBack(int count) {
        for (int i = 0; i < count; i++) {
            Waiting w = this.waiting.pollFirst();
            if (w == null) {
                return;
            }
            handBack(w);
        }
    }

    private void handBack(Waiting w) {
        try {
            if (this.claims.release(w.invocation(), this.settings.nodeId(), this.clock.now()) && this.running) {
                // still due here too: it keeps its place in this node's order instead of waiting for a poll
                this.ready.offer(w.invocation());
            }
            this.holdWork = false;
        } catch (RuntimeException ex) {
            logger.warn("Could not hand back " + w.invocation().id() + "; its lease will expire: " + ex);
        } finally {
            this.claimedHere.remove(w.invocation().id(), w.invocation().epoch());
            this.freeWorkers.release();
        }
    }

    /**
     * A worker: takes the next claimed call and runs its attempt. It is free again as soon as the attempt's code is
     * done; the end is written with others meanwhile, and the call keeps its place and its renewed lease until its end
     * is recorded.
     */
    private void work() {
        long wait = this.settings.pollInterval().toNanos();
        while (this.running) {
            try {
                if (this.holdWork) {
                    pause(HOLD_PAUSE);
                    continue;
                }
                Waiting next = this.waiting.pollFirst(wait, TimeUnit.NANOSECONDS);
                if (next == null) {
                    continue;
                }
                // A place for this attempt's end until it is recorded: waits while the writer is behind.
                if (!this.unrecorded.tryAcquire(wait, TimeUnit.NANOSECONDS)) {
                    this.waiting.offerFirst(next);
                    continue;
                }
                if (System.nanoTime() - next.since() > wait) {
                    // Waited too long (workers were held): its lease may not have been renewed meanwhile.
                    this.unrecorded.release();
                    handBack(next);
                    continue;
                }
                boolean quick = this.claimingAhead;
                if (quick) {
                    // the next claim may take its place now: its end has its own place until it is recorded
                    this.freeWorkers.release();
                }
                runOnWorker(next.invocation(), quick);
            } catch (InterruptedException ex) {
                if (!this.running) {
                    return;
                }
            }
        }
    }

    private void runOnWorker(ClaimedInvocation invocation, boolean placeReleased) {
        String id = invocation.id();
        this.busy.incrementAndGet();
        long started = System.nanoTime();
        try {
            // the attempt counts from here: a call claimed ahead that never got this far used none
            if (!Boolean.TRUE.equals(this.tx.execute(status -> this.claims.start(invocation, this.clock.now())))) {
                logger.info(invocation.function() + " [" + id + "] is no longer held by this node (cancelled, or"
                        + " taken over) and is not started");
                ended(invocation, placeReleased);
                return;
            }
            this.runner.start(invocation).whenComplete((result, failure) -> {
                if (failure != null) {
                    this.holdWork = true;
                }
                ended(invocation, placeReleased);
            });
        } catch (Throwable ex) {
            ended(invocation, placeReleased);
            logger.error(
                    "Could not run or record " + invocation.function() + " [" + id
                            + "]; its lease will expire and it will run again",
                    ex);
        } finally {
            this.busy.decrementAndGet();
            noteDuration(System.nanoTime() - started);
        }
    }

    private void ended(ClaimedInvocation invocation, boolean placeReleased) {
        this.claimedHere.remove(invocation.id(), invocation.epoch());
        this.unrecorded.release();
        if (!placeReleased) {
            this.freeWorkers.release();
        }
        if (this.limits.isLimited(invocation.function())) {
            // a slot of a limited function is free: its calls left pending may go now
            pollNow();
        }
    }

    private void noteDuration(long nanos) {
        if (nanos > QUICK_ATTEMPT.toNanos()) {
            this.claimingAhead = false;
            this.quickInARow.set(0);
        } else if (this.quickInARow.incrementAndGet() >= this.settings.workers()) {
            this.claimingAhead = true;
        }
    }

    /** A claimed call waiting for a worker since {@code since} (System.nanoTime). */
    private record Waiting(ClaimedInvocation invocation, long since) {}

    /**
     * Runs on its own thread every poll interval, whether or not workers are free: ends trees past their deadline,
     * recovers invocations whose node died, and wakes suspended parents whose step is decided (the backstop for a lost
     * wake-up).
     */
    private void housekeeping() {
        synchronized (this.housekeepingLock) {
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
            this.housekeepingTasks.forEach(task -> task.accept(now));
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
                AttemptRunner.errorRecord(failure, Status.TEMPORARY_ERROR),
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

    /**
     * Renews the leases of what runs here: claimed invocations on their way to a worker or running on one, and
     * attempts run inline by callers. Only those: a row under this node's id that nothing here runs (a dead process's
     * under the same id, an attempt whose end could not be recorded) must expire so that another node takes it over.
     */
    private void renewLeases() {
        try {
            Map<String, Long> held = new HashMap<>(this.claimedHere);
            held.putAll(this.runner.running());
            this.claims.renewLeases(
                    this.settings.nodeId(), held, this.clock.now().plus(this.settings.leaseDuration()));
        } catch (RuntimeException ex) {
            logger.warn("Could not renew leases of node " + this.settings.nodeId() + ": " + ex);
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
