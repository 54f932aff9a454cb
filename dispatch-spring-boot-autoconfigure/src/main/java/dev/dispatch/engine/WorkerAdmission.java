package dev.dispatch.engine;

import dev.dispatch.store.ClaimedInvocation;
import dev.dispatch.store.Claims;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Worker admission: the places for claimed calls (one per worker plus the claim-ahead), the claimed calls waiting for
 * a worker, whether to claim ahead of free workers, and the hand-back of claimed calls that waited too long. The claim
 * loop takes places before it claims; workers take the waiting calls and give the places back.
 */
final class WorkerAdmission {

    /** Logs under the scheduler's name, as operators know its warnings (docs/reliability.md). */
    private static final Log logger = LogFactory.getLog(Scheduler.class);

    /** Attempts shorter than this let a node claim ahead of its free workers. */
    private static final Duration QUICK_ATTEMPT = Duration.ofMillis(50);

    /** How long a claim waits at most for more places to come free while workers have enough to start. */
    private static final Duration ROUND_LINGER = Duration.ofMillis(2);

    private final Claims claims;

    private final DatabaseClock clock;

    private final ReadyQueue ready;

    private final EngineSettings settings;

    /** Whether the scheduler runs: a call handed back while it stops is not offered here again. */
    private final BooleanSupplier running;

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

    /** Claim-ahead places the scheduler keeps out of use while attempts are slow (only the claim loop changes this). */
    private int reserved;

    /** Whether attempts end quickly enough to claim ahead of free workers. */
    private volatile boolean claimingAhead;

    /** Attempts in a row that ended quickly; claiming ahead resumes after {@code workers} of them. */
    private final AtomicInteger quickInARow = new AtomicInteger();

    /**
     * Set when an attempt's end could not be written (the database is unreachable?): workers start nothing more, or
     * every claimed call would run and then run again once the database is back. Cleared by the next claim or
     * hand-back that reaches the database.
     */
    private volatile boolean holdWork;

    /** Invocations claimed here and handed to a worker, until their attempt ends, with the epochs of their claims. */
    private final Map<String, Long> claimedHere = new ConcurrentHashMap<>();

    WorkerAdmission(
            Claims claims, DatabaseClock clock, ReadyQueue ready, EngineSettings settings, BooleanSupplier running) {
        this.claims = claims;
        this.clock = clock;
        this.ready = ready;
        this.settings = settings;
        this.running = running;
        this.freeWorkers = new Semaphore(settings.workers() + settings.claimAhead());
        this.unrecorded = new Semaphore(settings.workers() + settings.claimAhead());
        // Start without claiming ahead, until attempts show they are quick.
        this.reserved = settings.claimAhead();
        this.freeWorkers.acquireUninterruptibly(this.reserved);
    }

    // ---------------------------------------------------------------- places, for the claim loop

    /** Waits up to {@code nanos} for one free place. */
    boolean tryTakePlace(long nanos) throws InterruptedException {
        return this.freeWorkers.tryAcquire(nanos, TimeUnit.NANOSECONDS);
    }

    /** Takes every place free now; returns how many. */
    int takeFreePlaces() {
        return this.freeWorkers.drainPermits();
    }

    void releasePlaces(int count) {
        this.freeWorkers.release(count);
    }

    /**
     * Claims ahead of free workers only while attempts end quickly: a claimed call that waits for a worker cannot be
     * taken by another node, so with slow or stuck attempts a node claims only for its free workers.
     */
    void adjustClaimAhead() {
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
     * While attempts are quick and workers still have claimed calls to start, waits a moment for more places to come
     * free, so that a claim takes a full round instead of the one or two places a worker just freed.
     */
    int fillRound(int held) throws InterruptedException {
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

    /** Queues claimed calls for the workers, each holding the place it was claimed for. */
    void admit(List<ClaimedInvocation> claimed, long now) {
        for (ClaimedInvocation invocation : claimed) {
            this.claimedHere.put(invocation.id(), invocation.epoch());
            this.waiting.add(new Waiting(invocation, now));
        }
    }

    // ---------------------------------------------------------------- hand-back

    /**
     * Hands back claimed calls that waited for a worker longer than the poll interval (every worker is busy with
     * something slow): pending again, for whichever node has a free worker first (this one offers them to itself again).
     */
    void handBackStale() {
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

    /** Hands back every claimed call that waits for a worker now (the scheduler stops). */
    void handBackWaiting() {
        handBack(this.waiting.size());
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
            if (this.claims.release(w.invocation(), this.settings.nodeId(), this.clock.now())
                    && this.running.getAsBoolean()) {
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

    // ---------------------------------------------------------------- workers

    /** Whether workers must start nothing: an attempt's end could not be written. */
    boolean isHeld() {
        return this.holdWork;
    }

    /** Workers start nothing more until a claim or hand-back reaches the database. */
    void hold() {
        this.holdWork = true;
    }

    /** A claim or hand-back reached the database: workers may start attempts again. */
    void resume() {
        this.holdWork = false;
    }

    /**
     * Takes the next claimed call for a worker, waiting up to {@code wait} nanoseconds for one and for a place for its
     * end; {@code null} when there is none, when the writer is behind, or when the call waited too long and was
     * handed back.
     */
    @Nullable
    Admitted next(long wait) throws InterruptedException {
        Waiting next = this.waiting.pollFirst(wait, TimeUnit.NANOSECONDS);
        if (next == null) {
            return null;
        }
        // A place for this attempt's end until it is recorded: waits while the writer is behind.
        if (!this.unrecorded.tryAcquire(wait, TimeUnit.NANOSECONDS)) {
            this.waiting.offerFirst(next);
            return null;
        }
        if (System.nanoTime() - next.since() > wait) {
            // Waited too long (workers were held): its lease may not have been renewed meanwhile.
            this.unrecorded.release();
            handBack(next);
            return null;
        }
        boolean quick = this.claimingAhead;
        if (quick) {
            // the next claim may take its place now: its end has its own place until it is recorded
            this.freeWorkers.release();
        }
        return new Admitted(next.invocation(), quick);
    }

    /** The attempt of a call a worker took ended (recorded, or not started): its places are free. */
    void ended(ClaimedInvocation invocation, boolean placeReleased) {
        this.claimedHere.remove(invocation.id(), invocation.epoch());
        this.unrecorded.release();
        if (!placeReleased) {
            this.freeWorkers.release();
        }
    }

    /** Claims ahead only after {@code workers} quick attempts in a row, and stops at the first slow one. */
    void noteDuration(long nanos) {
        if (nanos > QUICK_ATTEMPT.toNanos()) {
            this.claimingAhead = false;
            this.quickInARow.set(0);
        } else if (this.quickInARow.incrementAndGet() >= this.settings.workers()) {
            this.claimingAhead = true;
        }
    }

    // ---------------------------------------------------------------- what is held here

    /** The invocations claimed here that wait for a worker or run on one, with the epochs of their claims. */
    Map<String, Long> claimedHere() {
        return new HashMap<>(this.claimedHere);
    }

    boolean anyClaimed() {
        return !this.claimedHere.isEmpty();
    }

    /** A claimed call waiting for a worker since {@code since} (System.nanoTime). */
    private record Waiting(ClaimedInvocation invocation, long since) {}

    /** A claimed call a worker may start; {@code placeReleased} when its place went back to the claim loop already. */
    record Admitted(ClaimedInvocation invocation, boolean placeReleased) {}
}
