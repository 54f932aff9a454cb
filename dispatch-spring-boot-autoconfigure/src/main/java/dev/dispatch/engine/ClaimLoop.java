package dev.dispatch.engine;

import dev.dispatch.aop.FunctionRegistry;
import dev.dispatch.store.ClaimOrder;
import dev.dispatch.store.ClaimedInvocation;
import dev.dispatch.store.Claims;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The claim loop, on the {@code dispatch-scheduler} thread: takes due ids from the local ready queue, or from the
 * database when the queue runs dry and the poll interval has passed, and claims them in one batch for as many places as
 * {@link WorkerAdmission} has free.
 */
final class ClaimLoop {

    /** Logs under the scheduler's name, as operators know its warnings (docs/reliability.md). */
    private static final Log logger = LogFactory.getLog(Scheduler.class);

    /** Not an id: wakes the loop to poll now. */
    private static final String POLL_NOW = "";

    private final Claims claims;

    private final TransactionTemplate tx;

    private final DatabaseClock clock;

    private final ReadyQueue ready;

    private final FunctionRegistry registry;

    private final ConcurrencyLimits limits;

    private final EngineSettings settings;

    private final WorkerAdmission admission;

    private final BooleanSupplier running;

    private volatile boolean pollRequested;

    private @Nullable Thread loop;

    ClaimLoop(
            Claims claims,
            TransactionTemplate tx,
            DatabaseClock clock,
            ReadyQueue ready,
            FunctionRegistry registry,
            ConcurrencyLimits limits,
            EngineSettings settings,
            WorkerAdmission admission,
            BooleanSupplier running) {
        this.claims = claims;
        this.tx = tx;
        this.clock = clock;
        this.ready = ready;
        this.registry = registry;
        this.limits = limits;
        this.settings = settings;
        this.admission = admission;
        this.running = running;
    }

    void start() {
        Thread thread = new Thread(this::run, "dispatch-scheduler");
        thread.setDaemon(true);
        this.loop = thread;
        thread.start();
    }

    /** Wakes the loop so that it sees the scheduler stopped, and waits up to {@code grace} for it to end. */
    void stop(Duration grace) {
        Thread thread = this.loop;
        if (thread != null) {
            this.ready.offer(POLL_NOW);
            try {
                thread.join(grace.toMillis());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Asks the loop to poll the database now: another node announced due work, or a limited function has a slot. */
    void pollNow() {
        this.pollRequested = true;
        this.ready.offer(POLL_NOW);
    }

    private void run() {
        long nextPoll = System.nanoTime();
        long nextBackstop = nextPoll;
        String carried = null;
        while (this.running.getAsBoolean()) {
            int held = 0;
            try {
                this.admission.adjustClaimAhead();
                // Wait for a free worker without being interrupted: an interrupt during a JDBC call can close an H2
                // file database, so stop() wakes this loop with a marker and the flag instead.
                if (!this.admission.tryTakePlace(this.settings.pollInterval().toNanos())) {
                    this.admission.handBackStale();
                    continue;
                }
                held = 1 + this.admission.takeFreePlaces();
                held += this.admission.fillRound(held);
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
                this.admission.releasePlaces(held - claimed.size());
                held = 0;
                this.admission.admit(claimed, System.nanoTime());
                this.admission.handBackStale();
                if (claimed.isEmpty()) {
                    String id = this.ready.poll(Duration.ofNanos(Math.max(1, nextPoll - System.nanoTime())));
                    carried = POLL_NOW.equals(id) ? null : id;
                }
            } catch (InterruptedException ex) {
                this.admission.releasePlaces(held);
                if (!this.running.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException ex) {
                this.admission.releasePlaces(held);
                this.admission.handBackStale();
                logger.warn("Dispatch scheduler could not claim work (is the database reachable?); retrying in "
                        + this.settings.pollInterval().toMillis() + " ms: " + ex);
                nextPoll = System.nanoTime() + this.settings.pollInterval().toNanos();
                Scheduler.pause(this.settings.pollInterval());
            }
        }
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
        this.admission.resume();
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
        this.admission.resume();
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
}
